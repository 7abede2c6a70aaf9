import assert from "node:assert/strict";
import { test } from "node:test";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { credentialFor } from "../../src/auth/credential-for.js";
import { cachingCredential } from "../../src/auth/token-cache-credential.js";

test("a token is reused until five minutes before expiry; concurrent calls share one fetch", async () => {
  let calls = 0;
  let now = 1_000_000;
  const inner = {
    async getToken() {
      calls++;
      return { token: `t${calls}`, expiresOnTimestamp: now + 60 * 60_000 };
    },
  };
  const cred = cachingCredential(inner, () => now);
  const [a, b] = await Promise.all([cred.getToken("s"), cred.getToken("s")]);
  assert.equal(calls, 1);
  assert.equal(a?.token, b?.token);
  now += 50 * 60_000;
  assert.equal((await cred.getToken("s"))?.token, "t1");
  now += 6 * 60_000;
  assert.equal((await cred.getToken("s"))?.token, "t2");
  assert.equal((await cred.getToken("other"))?.token, "t3");
});

test("the Azure CLI link keeps its token across runs: `az` is spawned once, not once per process", async () => {
  const dir = mkdtempSync(join(tmpdir(), "orbitra-fake-az-"));
  const home = join(dir, "home");
  const count = join(dir, "count");
  // A stand-in for `az account get-access-token`: counts its runs and answers as az 2.54+ does.
  writeFileSync(
    join(dir, "az"),
    `#!/bin/sh\necho x >> "${count}"\nexp=$(( $(date +%s) + 3600 ))\n` +
      `printf '{"accessToken":"az-token-%s","expiresOn":"2099-01-01 00:00:00.000000","expires_on":%s,"tokenType":"Bearer"}' "$(wc -l < "${count}" | tr -d ' ')" "$exp"\n`,
    { mode: 0o755 },
  );
  const savedPath = process.env.PATH;
  process.env.PATH = `${dir}:${savedPath}`; // AzureCliCredential runs `az` from the process's PATH
  try {
    const env = { PATH: process.env.PATH, ORBITRA_HOME: home };
    const target = { kind: "azure" as const, environment: "prod", vaultUrl: "https://x.vault.azure.net" };
    const runs = [];
    for (let run = 0; run < 3; run++) {
      const chosen = await credentialFor(target, env, { interactive: false }); // a new process each time
      assert.equal(chosen.source, "azure-cli");
      runs.push((await chosen.credential.getToken("https://vault.azure.net/.default"))?.token);
    }
    assert.deepEqual(runs, ["az-token-1", "az-token-1", "az-token-1"]);
    assert.equal(readFileSync(count, "utf8").split("\n").filter(Boolean).length, 1);
    const file = join(home, "login", "azure-cli-tokens.json");
    assert.equal(statSync(file).mode & 0o777, 0o600);
    writeFileSync(file, "{not json");
    const again = await credentialFor(target, env, { interactive: false });
    assert.equal((await again.credential.getToken("https://vault.azure.net/.default"))?.token, "az-token-2", "a damaged cache means asking az again");
  } finally {
    process.env.PATH = savedPath;
    rmSync(dir, { recursive: true, force: true });
  }
});
