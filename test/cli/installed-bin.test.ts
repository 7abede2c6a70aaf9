import assert from "node:assert/strict";
import { X509Certificate, constants, createPrivateKey, createPublicKey, verify } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { installPackedBin, runOrbitra, serveWithBin, type InstalledBin, type RunOptions, type ServedByBin } from "../helpers/installed-bin.js";

// The CLI as users get it: the npm package's bin, run by name through PATH (shebang and all), in a
// fresh ORBITRA_HOME, each command family twice: the first run writes the start-up code cache
// ($ORBITRA_HOME/cache/v8) and the second runs from it, which is where `import()` once broke every
// command that reaches a served vault or Azure. Against `local` and against `vault serve`.
describe("the installed bin, run twice per command family", () => {
  let installed: InstalledBin;
  let home: string;
  let work: string;
  let served: ServedByBin;
  let env: NodeJS.ProcessEnv;

  const run = (args: string[], options: RunOptions = {}) => runOrbitra(env, args, { cwd: work, ...options });
  const ok = (args: string[], options: RunOptions = {}): string => {
    const result = run(args, options);
    assert.equal(result.status, 0, `orbitra ${args.join(" ")} exited ${result.status}: ${result.stderr}`);
    return result.stdout;
  };

  before(async () => {
    installed = installPackedBin();
    home = mkdtempSync(join(tmpdir(), "orbitra-home-"));
    work = mkdtempSync(join(tmpdir(), "orbitra-work-"));
    env = { PATH: installed.path, ORBITRA_HOME: home };
    served = await serveWithBin(env, ["--data", join(home, "served")]);
    env = { ...env, ORBITRA_KEY_VAULT_DEV: served.url, ORBITRA_CA_FILE_DEV: served.caFile };
  });
  after(async () => {
    await served?.stop();
    installed?.remove();
    for (const dir of [home, work]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  for (const target of ["local", "dev"]) {
    for (const round of [1, 2]) {
      describe(`-e ${target}, run ${round}`, () => {
        const e = ["-e", target];
        const name = `fam-${target}-${round}`;
        const key = `k-${target}-${round}`;
        let firstVersion = "";

        it("secrets set / get / list / show / versions / update", () => {
          if (round === 2) assert.ok(readdirSync(join(home, "cache", "v8")).length >= 2, "the second round runs from the code cache");
          ok(["secrets", "set", name, ...e], { input: "value-one\n" });
          ok(["secrets", "set", name, ...e], { input: "value-two\n" });
          assert.equal(ok(["secrets", "get", name, ...e]), "value-two");
          assert.ok(ok(["secrets", "list", ...e]).split("\n").includes(name));
          assert.equal((JSON.parse(ok(["secrets", "show", name, ...e, "--json"])) as { name: string }).name, name);
          assert.equal(ok(["secrets", "versions", name, ...e]).trim().split("\n").length, 2);
          ok(["secrets", "update", name, ...e, "--tag", "owner=tests"]);
          assert.match(ok(["secrets", "show", name, ...e]), /tag owner\s+tests/);
        });

        it("secrets backup / delete / deleted / recover / purge / restore", () => {
          const file = join(work, `${name}.backup`);
          ok(["secrets", "backup", name, ...e, "-o", file]);
          ok(["secrets", "delete", name, ...e]);
          assert.ok(ok(["secrets", "deleted", ...e]).includes(name));
          ok(["secrets", "recover", name, ...e]);
          assert.equal(ok(["secrets", "get", name, ...e]), "value-two");
          ok(["secrets", "delete", name, ...e, "--yes"]);
          ok(["secrets", "purge", name, ...e, "--yes"]);
          assert.equal(run(["secrets", "get", name, ...e]).status, 3);
          ok(["secrets", "restore", ...e, "--file", file]);
          assert.equal(ok(["secrets", "get", name, ...e]), "value-two");
        });

        it("secrets export / import / diff / copy", () => {
          const exported = JSON.parse(ok(["secrets", "export", name, ...e, "--format", "json"])) as Record<string, string>;
          assert.deepEqual(exported, { [name]: "value-two" });
          const dotenv = join(work, `${name}.env`);
          writeFileSync(dotenv, `IMPORTED_${round}=imported-value\n`);
          assert.match(ok(["secrets", "import", ...e, "--file", dotenv]), new RegExp(`create\\s+imported-${round}`));
          const other = target === "local" ? "dev" : "local";
          ok(["secrets", "copy", "--from", target, "--to", other, name, "--yes", "--overwrite", "always"]);
          assert.equal(ok(["secrets", "get", name, "-e", other]), "value-two");
          assert.doesNotMatch(ok(["secrets", "diff", "--from", target, "--to", other]), new RegExp(`~ ${name}\\n`));
        });

        it("keys create / show (JSON, PEM) / sign / verify / encrypt / decrypt (stdin and files) / rotate / versions", () => {
          assert.match(ok(["keys", "create", key, ...e, "--type", "RSA", "--size", "2048"]), /^Created k-.*\(RSA, version [0-9a-f]{32}\)\.\n$/);
          const shown = JSON.parse(ok(["keys", "show", key, ...e, "--json"])) as { key: { kty: string; d?: string }; version: string };
          assert.equal(shown.key.kty, "RSA");
          assert.equal(shown.key.d, undefined);
          firstVersion = shown.version;
          const pem = createPublicKey(ok(["keys", "show", key, ...e, "--format", "pem"]));
          const doc = join(work, `${key}.txt`);
          writeFileSync(doc, "a document");
          ok(["keys", "sign", key, ...e, "-a", "PS256", "--file", doc, "-o", `${doc}.sig`]);
          assert.ok(verify("sha256", readFileSync(doc), { key: pem, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, readFileSync(`${doc}.sig`)));
          assert.equal(ok(["keys", "verify", key, ...e, "-a", "PS256", "--signature", `${doc}.sig`, "--file", doc]), "Signature valid.\n");
          assert.equal(run(["keys", "verify", key, ...e, "-a", "PS256", "--signature", `${doc}.sig`], { input: "another" }).status, 1);
          ok(["keys", "encrypt", key, ...e, "-a", "RSA-OAEP-256", "-o", `${doc}.enc`], { input: "from stdin" });
          assert.equal(ok(["keys", "decrypt", key, ...e, "-a", "RSA-OAEP-256", "--file", `${doc}.enc`]), "from stdin");
          const sealed = ok(["keys", "encrypt", key, ...e, "-a", "RSA-OAEP", "--file", doc, "--encoding", "base64url"]);
          assert.equal(ok(["keys", "decrypt", key, ...e, "-a", "RSA-OAEP", "--encoding", "base64url"], { input: sealed }), "a document");
          ok(["keys", "rotate", key, ...e]);
          assert.equal(ok(["keys", "versions", key, ...e]).trim().split("\n").length, 2);
          assert.ok(ok(["keys", "list", ...e]).split("\n").includes(key));
        });

        it("keys backup / delete / deleted / recover / purge / restore", () => {
          const file = join(work, `${key}.backup`);
          ok(["keys", "backup", key, ...e, "-o", file]);
          assert.match(ok(["keys", "delete", key, ...e]), /recoverable until/);
          assert.equal(run(["keys", "show", key, ...e]).status, 3);
          assert.ok(ok(["keys", "deleted", ...e]).includes(key));
          ok(["keys", "recover", key, ...e]);
          assert.equal(ok(["keys", "decrypt", key, ...e, "-a", "RSA-OAEP-256", "--version", firstVersion, "--file", join(work, `${key}.txt.enc`)]), "from stdin");
          ok(["keys", "delete", key, ...e]);
          ok(["keys", "purge", key, ...e, "--yes"]);
          assert.equal(run(["keys", "show", key, ...e]).status, 3);
          assert.match(ok(["keys", "restore", ...e, "--file", file]), /^Restored k-/);
          assert.equal(ok(["keys", "versions", key, ...e]).trim().split("\n").length, 2);
        });

        it("certs create / show / list / download as PEM files (key 0600) and PFX", () => {
          const cert = `c-${target}-${round}`;
          assert.match(ok(["certs", "create", cert, ...e, "--san", "localhost"]), new RegExp(`^Created ${cert} \\(version [0-9a-f]{32}, expires `));
          assert.match(ok(["certs", "show", cert, ...e]), /localhost/);
          assert.ok(ok(["certs", "list", ...e]).split("\n").includes(cert));
          assert.equal(ok(["certs", "download", cert, ...e, "--format", "pem"]), `Wrote ${cert}.key, ${cert}.crt.\n`);
          const x509 = new X509Certificate(readFileSync(join(work, `${cert}.crt`)));
          assert.equal(x509.subjectAltName, "DNS:localhost");
          assert.ok(x509.checkPrivateKey(createPrivateKey(readFileSync(join(work, `${cert}.key`)))));
          assert.equal(statSync(join(work, `${cert}.key`)).mode & 0o777, 0o600);
          ok(["certs", "download", cert, ...e, "--format", "pfx", "-o", `${cert}.pfx`]);
          assert.equal(readFileSync(join(work, `${cert}.pfx`))[0], 0x30, "a DER PFX");
        });

        it("run with an --env-file reference and --all; env list; account show", () => {
          const file = join(work, `run-${name}.env`);
          writeFileSync(file, `FROM_REF=orbitra://${name}\nPLAIN=plain\n`);
          const printed = ok(["run", ...e, "--env-file", file, "--", process.execPath, "-e", "process.stdout.write(process.env.FROM_REF + ' ' + process.env.PLAIN)"]);
          assert.equal(printed, "value-two plain");
          const variable = name.toUpperCase().replaceAll("-", "_");
          assert.equal(ok(["run", ...e, "--all", "--", process.execPath, "-e", `process.stdout.write(process.env.${variable})`]), "value-two");
          assert.match(ok(["env", "list"]), new RegExp(`dev\\s+${served.url.replace(/[./]/g, "\\$&")}`));
          assert.match(ok(["account", "show", ...e]), new RegExp(`Environment:\\s+${target}`));
        });
      });
    }
  }

  describe("a strict server: vault principal / role / device, login, account, as a user and as an app", () => {
    let strict: ServedByBin;
    let data: string;
    let senv: NodeJS.ProcessEnv;
    const sok = (args: string[], options: RunOptions = {}, extra: NodeJS.ProcessEnv = {}): string => {
      const result = runOrbitra({ ...senv, ...extra }, args, { cwd: work, ...options });
      assert.equal(result.status, 0, `orbitra ${args.join(" ")} exited ${result.status}: ${result.stderr}`);
      return result.stdout;
    };
    before(async () => {
      data = join(home, "strict");
      // --auto-approve names a user that must exist before the server starts.
      const added = runOrbitra(env, ["vault", "principal", "add", "alice", "--kind", "user", "--data", data]);
      assert.equal(added.status, 0, added.stderr);
      strict = await serveWithBin(env, ["--auth", "strict", "--auto-approve", "alice", "--data", data]);
      senv = { ...env, ORBITRA_KEY_VAULT_SD: strict.url, ORBITRA_CA_FILE_SD: strict.caFile };
    });
    after(async () => {
      await strict?.stop();
    });

    for (const round of [1, 2]) {
      it(`run ${round}`, () => {
        sok(["vault", "role", "assign", "--principal", "alice", "--role", "Key Vault Secrets Officer", "--data", data]);
        assert.match(sok(["vault", "role", "list", "--available", "--data", data]), /Key Vault Secrets User/);
        sok(["login", "-e", "sd", "--use-device-code"]);
        sok(["secrets", "set", `by-alice-${round}`, "-e", "sd"], { input: "from alice" });
        assert.equal(sok(["secrets", "get", `by-alice-${round}`, "-e", "sd"]), "from alice");
        assert.match(sok(["account", "show", "-e", "sd"]), /Credential:\s+user-login[\s\S]*User:\s+alice/);
        assert.ok(JSON.parse(sok(["account", "list", "--json"])).length >= 1);
        sok(["logout", "-e", "sd"]);
        const started = JSON.parse(sok(["login", "-e", "sd", "--start-device-code", "--json"])) as { userCode: string };
        assert.match(started.userCode, /^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
        sok(["login", "-e", "sd", "--complete-device-code"]);
        sok(["vault", "device", "list", "--data", data]);
        sok(["logout", "-e", "sd"]);

        const app = JSON.parse(sok(["vault", "principal", "add", `reader-${round}`, "--data", data, "--json"])) as { id: string; clientSecret: string };
        sok(["vault", "role", "assign", "--principal", app.id, "--role", "Key Vault Secrets User", "--data", data]);
        const asApp = { ORBITRA_APP_CLIENT_ID: app.id, ORBITRA_APP_CLIENT_SECRET: app.clientSecret };
        assert.equal(sok(["secrets", "get", `by-alice-${round}`, "-e", "sd"], {}, asApp), "from alice");
        const denied = runOrbitra({ ...senv, ...asApp }, ["secrets", "set", "nope", "-e", "sd"], { input: "x" });
        assert.equal(denied.status, 4, denied.stderr);
        const wrong = runOrbitra({ ...senv, ...asApp, ORBITRA_APP_CLIENT_SECRET: "wrong" }, ["secrets", "list", "-e", "sd"]);
        assert.equal(wrong.status, 4, wrong.stderr);
        assert.match(wrong.stderr, /AADSTS7000215/);
        assert.match(sok(["vault", "principal", "list", "--data", data]), new RegExp(`reader-${round}`));
      });
    }
  });

  it("the bin is what npm links: a missing --env-file is orbitra's error, not Node's", () => {
    const missing = run(["run", "-e", "local", "--env-file", "missing.env", "--", process.execPath, "-e", "0"]);
    assert.equal(missing.status, 2, missing.stderr);
    assert.equal(missing.stderr, "orbitra: Cannot read missing.env: no such file.\n");
    assert.ok(existsSync(join(installed.prefix, "bin", "orbitra")));
  });
});
