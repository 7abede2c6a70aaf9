import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";

const root = join(import.meta.dirname, "..", "..");
const bundled = join(root, "dist", "bin", "orbitra.cjs");
const orbitra = existsSync(bundled) ? [bundled] : ["--import", "tsx", join(root, "src", "cli", "main.ts")];
const VALUE = "run-value-$HOME-'\"-\u00e9\nsecond line";

describe("orbitra run", () => {
  let home: string;
  let env: NodeJS.ProcessEnv;
  before(() => {
    home = mkdtempSync(join(tmpdir(), "orbitra-run-"));
    env = { PATH: process.env.PATH, ORBITRA_HOME: home };
    const set = spawnSync(process.execPath, [...orbitra, "secrets", "set", "db-password", "--keep-newline"], { env, input: VALUE, cwd: root });
    assert.equal(set.status, 0, String(set.stderr));
    spawnSync(process.execPath, [...orbitra, "secrets", "set", "api-key"], { env, input: "k", cwd: root });
  });
  after(() => rmSync(home, { recursive: true, force: true }));

  // The child reports, as booleans only, what it received; the value itself is never printed.
  const probe = `const e = process.env; console.log(JSON.stringify({
    db: e.DB_PASSWORD === ${JSON.stringify(VALUE)}, api: e.API_KEY, appApi: e.APP_API_KEY, plain: e.PLAIN,
    argvClean: !process.argv.join(" ").includes("run-value") })); process.exit(Number(e.EXIT_WITH ?? 0));`;
  const run = (args: string[], extraEnv: Record<string, string> = {}) =>
    spawnSync(process.execPath, [...orbitra, "run", ...args, "--", process.execPath, "-e", probe], {
      env: { ...env, ...extraEnv },
      cwd: home,
      encoding: "utf8",
    });

  it("resolves references from an env file into the child's environment only, and returns its exit code", () => {
    writeFileSync(join(home, ".env.app"), "DB_PASSWORD=orbitra://db-password\nPLAIN=plain text\n");
    const result = run(["--env-file", join(home, ".env.app")], { EXIT_WITH: "7" });
    assert.equal(result.status, 7, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), { db: true, plain: "plain text", argvClean: true });
    assert.equal(result.stderr.includes("run-value"), false);
  });

  it("resolves a reference already in the environment, and honours --key-vault", () => {
    assert.deepEqual(JSON.parse(run([], { DB_PASSWORD: "orbitra://db-password?environment=local" }).stdout).db, true);
    const appService = run(["--key-vault", `local:${join(home, "local", "vault.db")}`], { DB_PASSWORD: "orbitra://db-password" });
    assert.equal(JSON.parse(appService.stdout).db, true);
  });

  it("adds every secret with --all (and --prefix); existing variables win unless --override", () => {
    assert.deepEqual(JSON.parse(run(["--all"]).stdout), { db: true, api: "k", argvClean: true });
    assert.equal(JSON.parse(run(["--all", "--prefix", "APP_"]).stdout).appApi, "k");
    assert.equal(JSON.parse(run(["--all"], { API_KEY: "mine" }).stdout).api, "mine");
    assert.equal(JSON.parse(run(["--all", "--override"], { API_KEY: "mine" }).stdout).api, "k");
  });

  it("reports every unresolvable reference at once, exit 5, and starts nothing", () => {
    const result = run([], { A: "orbitra://missing-one", B: "orbitra://bad_name", C: "@Microsoft.KeyVault(VaultName=x" });
    assert.equal(result.status, 5);
    assert.equal(result.stdout, "", "the child did not run");
    for (const key of ["A", "B", "C"]) assert.match(result.stderr, new RegExp(`\\b${key}\\b`));
  });

  it("a value no environment can carry (a NUL) is refused naming the variable and the secret, never showing the value", () => {
    const set = spawnSync(process.execPath, [...orbitra, "secrets", "set", "nul-value"], { env, input: "S3CRET\0tail", cwd: home });
    assert.equal(set.status, 0, String(set.stderr));
    const all = spawnSync(process.execPath, [...orbitra, "run", "--all", "--", "true"], { env, cwd: home, encoding: "utf8" });
    assert.equal(all.status, 2, all.stderr);
    assert.doesNotMatch(all.stderr, /S3CRET|tail/);
    assert.match(all.stderr, /^orbitra: The value of NUL_VALUE \(from secret nul-value\) contains a NUL character/);
    const ref = spawnSync(process.execPath, [...orbitra, "run", "--", "true"], { env: { ...env, X: "orbitra://nul-value" }, cwd: home, encoding: "utf8" });
    assert.equal(ref.status, 2, ref.stderr);
    assert.doesNotMatch(ref.stderr, /S3CRET|tail/);
    assert.match(ref.stderr, /The value of X \(from orbitra:\/\/nul-value\)/);
    spawnSync(process.execPath, [...orbitra, "secrets", "delete", "nul-value"], { env, cwd: home });
    spawnSync(process.execPath, [...orbitra, "secrets", "purge", "nul-value", "--yes"], { env, cwd: home });
  });

  it("exits 127 when the command does not exist", () => {
    const result = spawnSync(process.execPath, [...orbitra, "run", "--", "definitely-not-a-command-xyz"], { env, cwd: home, encoding: "utf8" });
    assert.equal(result.status, 127);
    assert.match(result.stderr, /command not found/);
  });

  it("forwards SIGTERM to the child and exits with the child's code", async () => {
    const child = spawn(
      process.execPath,
      [...orbitra, "run", "--", process.execPath, "-e", "process.on('SIGTERM', () => process.exit(42)); console.log('ready'); setInterval(() => {}, 1000);"],
      { env, cwd: home, stdio: ["ignore", "pipe", "pipe"] },
    );
    await new Promise<void>((resolve) => child.stdout.on("data", (d) => String(d).includes("ready") && resolve()));
    child.kill("SIGTERM");
    const code = await new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
    assert.equal(code, 42);
  });
});
