import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { after, before, describe, it } from "node:test";
import type { CliContext } from "../../src/cli/context.js";
import { readSecretValue } from "../../src/cli/read-value.js";
import { cli } from "./run.js";

const CANARY = "input-canary-91c3aa-never-printed";

describe("secrets: where values come from, terminals, options", () => {
  let home: string;
  let env: NodeJS.ProcessEnv;
  const names = async () => (await cli(["secrets", "list"], env)).stdout;
  before(() => {
    home = mkdtempSync(join(tmpdir(), "orbitra-input-"));
    env = { ORBITRA_HOME: home };
  });
  after(() => rmSync(home, { recursive: true, force: true }));

  it("stops reading a pipe once it holds more than a secret can (25 KB), and says so", async () => {
    let pulled = 0;
    const chunk = Buffer.alloc(64 * 1024, "a");
    // 64 MB on offer; the reader must stop after the first chunk or so.
    const stdin = new Readable({
      read() {
        pulled += chunk.length;
        this.push(pulled > 64 * 1024 * 1024 ? null : chunk);
      },
    }) as CliContext["stdin"];
    const ctx = { stdin, stdout: process.stdout, stderr: process.stderr, env: {}, cwd: home } as unknown as CliContext;
    await assert.rejects(readSecretValue({}, ctx), (error: Error & { code?: string }) => {
      assert.equal(error.code, "InvalidValue");
      assert.match(error.message, /^Standard input holds more than 25600 bytes \(25 KB\).*reading stopped/);
      return true;
    });
    assert.ok(pulled <= 4 * chunk.length, `read ${pulled} bytes`);
    assert.equal(stdin.destroyed, true);
  });

  it("a value of exactly 25 KB plus the newline a pipe adds is taken; a file one byte over is refused unread", async () => {
    const exact = "b".repeat(25 * 1024);
    assert.equal((await cli(["secrets", "set", "exact-limit"], env, { input: `${exact}\r\n` })).code, 0);
    const file = join(home, "big.bin");
    writeFileSync(file, "c".repeat(25 * 1024 + 1));
    const result = await cli(["secrets", "set", "too-big", "--file", file], env);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /big\.bin holds more than 25600 bytes/);
  });

  it("refuses empty piped input (a script that forgot to pipe) and writes nothing", async () => {
    const before = await names();
    const result = await cli(["secrets", "set", "empty-one"], env, { input: "" });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^orbitra: Standard input was empty; nothing was written\. .*--file/);
    assert.equal((await cli(["secrets", "set", "empty-two"], env, { input: "\n" })).code, 2);
    assert.equal(await names(), before);
  });

  it("takes files byte for byte (BOM kept), refuses bytes that are not UTF-8", async () => {
    const bom = join(home, "bom.txt");
    writeFileSync(bom, "\ufeffwith-bom\n");
    assert.equal((await cli(["secrets", "set", "bom", "--file", bom], env)).code, 0);
    assert.equal((await cli(["secrets", "get", "bom"], env)).stdout, "\ufeffwith-bom\n");
    const binary = join(home, "key.bin");
    writeFileSync(binary, Buffer.from([0x00, 0xff, 0xfe, 0x80]));
    const before = await names();
    const refused = await cli(["secrets", "set", "bin", "--file", binary], env);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /is not UTF-8 text.*base64/);
    assert.equal(await names(), before, "nothing written");
  });

  it("get --json is the one JSON that carries the value; get on a terminal ends with a newline", async () => {
    await cli(["secrets", "set", "jv"], env, { input: CANARY });
    const json = JSON.parse((await cli(["secrets", "get", "jv", "--json"], env)).stdout) as Record<string, unknown>;
    assert.equal(json.name, "jv");
    assert.equal(json.value, CANARY);
    assert.match(json.version as string, /^[0-9a-f]{32}$/);
    assert.equal((await cli(["secrets", "get", "jv"], env, { terminal: true })).stdout, `${CANARY}\n`);
  });

  it("prompts twice on a terminal without echo; different entries write nothing", async () => {
    const ok = await cli(["secrets", "set", "typed"], env, { terminal: true, input: [`${CANARY}\r`, `${CANARY}\r`] });
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stderr, /Secret value: \nAgain, to confirm: \n/);
    assert.equal((ok.stdout + ok.stderr).includes(CANARY), false);
    assert.equal((await cli(["secrets", "get", "typed"], env)).stdout, CANARY);
    const pasted = await cli(["secrets", "set", "pasted"], env, { terminal: true, input: ["p\u00e9\u4e2d\r\np\u00e9\u4e2d\r"] });
    assert.equal(pasted.code, 0, pasted.stderr);
    assert.equal((await cli(["secrets", "get", "pasted"], env)).stdout, "p\u00e9\u4e2d");
    const before = await names();
    const differ = await cli(["secrets", "set", "typo"], env, { terminal: true, input: ["abc\r", "abd\r"] });
    assert.equal(differ.code, 2);
    assert.match(differ.stderr, /The two entries differ; nothing was written/);
    const empty = await cli(["secrets", "set", "typo"], env, { terminal: true, input: ["\r"] });
    assert.equal(empty.code, 2);
    assert.equal(await names(), before);
  });

  it("Ctrl-C at the value prompt exits 130, as Ctrl-C does everywhere else, and writes nothing", async () => {
    const before = await names();
    const cancelled = await cli(["secrets", "set", "cancelled"], env, { terminal: true, input: ["abc\u0003"] });
    assert.equal(cancelled.code, 130);
    assert.match(cancelled.stderr, /orbitra: Cancelled; nothing was written\.\n$/);
    const second = await cli(["secrets", "set", "cancelled"], env, { terminal: true, input: ["abc\r", "\u0003"] });
    assert.equal(second.code, 130);
    assert.equal(await names(), before);
  });

  it("checks the name and the environment before asking for the value", async () => {
    const badName = await cli(["secrets", "set", "bad_name"], env, { terminal: true, input: ["v\r", "v\r"] });
    assert.equal(badName.code, 2);
    assert.doesNotMatch(badName.stderr, /Secret value/);
    const badEnv = await cli(["secrets", "set", "fine", "-e", "nope"], env, { terminal: true, input: ["v\r", "v\r"] });
    assert.equal(badEnv.code, 5);
    assert.doesNotMatch(badEnv.stderr, /Secret value/);
  });

  it("purge asks on a terminal: y purges, anything else keeps", async () => {
    await cli(["secrets", "set", "gone"], env, { input: "g" });
    await cli(["secrets", "delete", "gone"], env);
    const no = await cli(["secrets", "purge", "gone"], env, { terminal: true, input: "n\n" });
    assert.equal(no.code, 2);
    assert.match(no.stderr, /Purge gone for good\? .*\[y\/N\]/);
    assert.match((await cli(["secrets", "deleted"], env)).stdout, /^gone /m);
    const yes = await cli(["secrets", "purge", "gone"], env, { terminal: true, input: "y\n" });
    assert.equal(yes.code, 0, yes.stderr);
    assert.doesNotMatch((await cli(["secrets", "deleted"], env)).stdout, /^gone /m);
  });

  it("--env is --environment's other spelling; --tags is --tag's; --key-vault local:PATH is its own store", async () => {
    assert.equal((await cli(["secrets", "set", "alias", "--env", "local", "--tags", "a=1", "--tag", "b=2"], env, { input: "x" })).code, 0);
    const shown = JSON.parse((await cli(["secrets", "show", "alias", "--json"], env)).stdout) as { tags: object };
    assert.deepEqual(shown.tags, { a: "1", b: "2" });
    const clash = await cli(["secrets", "get", "alias", "-e", "local", "--env", "prod"], env);
    assert.equal(clash.code, 2);
    assert.match(clash.stderr, /Two different environments/);
    const other = `local:${join(home, "elsewhere.db")}`;
    assert.equal((await cli(["secrets", "set", "only-there", "--key-vault", other], env, { input: "o" })).code, 0);
    assert.equal((await cli(["secrets", "list", "--key-vault", other], env)).stdout, "only-there\n");
    assert.equal((await cli(["secrets", "get", "only-there"], env)).code, 3, "not in the default local store");
  });

  it("backup --force replaces a file and makes it 0600 again", async () => {
    await cli(["secrets", "set", "bk2"], env, { input: CANARY });
    const file = join(home, "bk2.backup");
    writeFileSync(file, "old");
    chmodSync(file, 0o644);
    assert.equal((await cli(["secrets", "backup", "bk2", "-o", file], env)).code, 2);
    const forced = await cli(["secrets", "backup", "bk2", "-o", file, "--force", "--json"], env);
    assert.equal(forced.code, 0, forced.stderr);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal((JSON.parse(forced.stdout) as { bytes: number }).bytes, statSync(file).size);
  });
});
