import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { cli } from "./run.js";

// --json means the same everywhere: one JSON document on stdout, indented by two spaces.
describe("--json, the same on every command", () => {
  let home: string;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    home = mkdtempSync(join(tmpdir(), "orbitra-json-"));
    env = { ORBITRA_HOME: home, ORBITRA_KEY_VAULT_OTHER: `local:${join(home, "other.db")}` };
    assert.equal((await cli(["secrets", "set", "j-one"], env, { input: "1" })).code, 0);
  });
  after(() => rmSync(home, { recursive: true, force: true }));

  const json = async (args: string[], input?: string): Promise<unknown> => {
    const result = await cli(args, env, input === undefined ? {} : { input });
    assert.equal(result.code, 0, `${args.join(" ")}: ${result.stderr}`);
    const parsed = JSON.parse(result.stdout) as unknown;
    assert.equal(result.stdout, JSON.stringify(parsed, null, 2) + "\n", `${args.join(" ")} is formatted like the others`);
    return parsed;
  };

  it("secrets, env, account and vault commands print indented JSON", async () => {
    await json(["secrets", "set", "j-two", "--json"], "2");
    await json(["secrets", "show", "j-two", "--json"]);
    await json(["secrets", "list", "--json"]);
    await json(["secrets", "versions", "j-two", "--json"]);
    await json(["env", "list", "--json"]);
    await json(["account", "show", "-e", "local", "--json"]);
    await json(["account", "list", "--json"]);
    const data = join(home, "server");
    await json(["vault", "principal", "add", "reader", "--data", data, "--json"]);
    await json(["vault", "principal", "list", "--data", data, "--json"]);
    await json(["vault", "role", "list", "--available", "--data", data, "--json"]);
  });

  it("secrets export --json is JSON (the json format), and conflicts with another --format", async () => {
    assert.deepEqual(await json(["secrets", "export", "j-one", "--json"]), { "j-one": "1" });
    const clash = await cli(["secrets", "export", "--json", "--format", "dotenv"], env);
    assert.equal(clash.code, 2);
    assert.match(clash.stderr, /--json and --format dotenv ask for two formats/);
  });

  it("import and copy report the same shape: { items: [{ name, action }] }", async () => {
    const file = join(home, "in.env");
    writeFileSync(file, "J_THREE=3\n");
    const imported = (await json(["secrets", "import", "--file", file, "--json"])) as { items: unknown[] };
    assert.deepEqual(imported.items, [{ name: "j-three", action: "create" }]);
    const copied = (await json(["secrets", "copy", "--from", "local", "--to", "other", "j-one", "--yes", "--json"])) as { items: unknown[] };
    assert.deepEqual(copied.items, [{ name: "j-one", action: "create" }]);
    await json(["secrets", "diff", "--from", "local", "--to", "other", "--json"]);
  });
});
