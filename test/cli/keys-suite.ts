import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createPublicKey, createHash, generateKeyPairSync, verify as nodeVerify } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { cli, type CliResult } from "./run.js";

export interface KeysCliTarget {
  /** Variables for the CLI (ORBITRA_HOME and the environment's vault). */
  env: NodeJS.ProcessEnv;
  /** The `-e` value that names the vault. */
  environment: string;
  close(): Promise<void>;
}

/** `orbitra keys`, run in-process against one vault: the same checks for local and a served vault. */
export function runKeysCli(label: string, setup: (home: string) => Promise<KeysCliTarget>): void {
  describe(`orbitra keys (in-process, ${label})`, () => {
    let home: string;
    let target: KeysCliTarget;
    const keys = (args: string[], input?: string): Promise<CliResult> =>
      cli(["keys", ...args, "-e", target.environment], target.env, input === undefined ? {} : { input });
    const ok = async (args: string[], input?: string): Promise<CliResult> => {
      const result = await keys(args, input);
      assert.equal(result.code, 0, `orbitra keys ${args.join(" ")}: ${result.stderr}`);
      return result;
    };
    const file = (name: string): string => join(home, name);

    before(async () => {
      home = mkdtempSync(join(tmpdir(), "orbitra-keys-cli-"));
      target = await setup(home);
    });
    after(async () => {
      await target.close();
      rmSync(home, { recursive: true, force: true });
    });

    it("creates and shows a key: properties, JWK, PEM that node:crypto reads; lists and versions it", async () => {
      assert.match((await ok(["create", "signing", "--type", "EC", "--curve", "P-384", "--tag", "team=a"])).stdout, /^Created signing \(EC, version [0-9a-f]{32}\)\.\n$/);
      const text = (await ok(["show", "signing"])).stdout;
      assert.match(text, /^keyType +EC$/m);
      assert.match(text, /^curve +P-384$/m);
      assert.match(text, /^tag team +a$/m);
      const shown = JSON.parse((await ok(["show", "signing", "--json"])).stdout) as { key: { crv: string; d?: string }; version: string };
      assert.equal(shown.key.crv, "P-384");
      assert.equal(shown.key.d, undefined);
      const jwk = JSON.parse((await ok(["show", "signing", "--format", "jwk"])).stdout) as { kid: string };
      assert.match(jwk.kid, new RegExp(`/keys/signing/${shown.version}$`));
      const pem = (await ok(["show", "signing", "--format", "pem"])).stdout;
      assert.equal(createPublicKey(pem).asymmetricKeyDetails?.namedCurve, "secp384r1");
      assert.ok((await ok(["list"])).stdout.split("\n").includes("signing"));
      await ok(["rotate", "signing"]);
      assert.equal((await ok(["versions", "signing"])).stdout.trim().split("\n").length, 2);
      assert.equal((await keys(["versions", "missing"])).code, 3);
    });

    it("signs data from a file and from stdin; node:crypto verifies with the PEM; verify exits 1 on a bad signature", async () => {
      await ok(["create", "rsa-signing", "--size", "2048"]);
      writeFileSync(file("doc.txt"), "the document");
      await ok(["sign", "rsa-signing", "-a", "PS256", "--file", file("doc.txt"), "-o", file("doc.sig")]);
      const pem = (await ok(["show", "rsa-signing", "--format", "pem"])).stdout;
      const signature = readFileSync(file("doc.sig"));
      assert.equal(nodeVerify("sha256", Buffer.from("the document"), { key: pem, padding: 6, saltLength: 32 }, signature), true);
      assert.equal((await ok(["verify", "rsa-signing", "-a", "PS256", "--signature", file("doc.sig")], "the document")).stdout, "Signature valid.\n");
      const bad = await keys(["verify", "rsa-signing", "-a", "PS256", "--signature", file("doc.sig")], "another document");
      assert.equal(bad.code, 1);
      assert.match(bad.stderr, /does not verify with rsa-signing/);
      const encoded = (await ok(["sign", "rsa-signing", "-a", "RS256", "--encoding", "base64url"], "the document")).stdout.trim();
      writeFileSync(file("doc.sig64"), encoded);
      assert.equal((await ok(["verify", "rsa-signing", "-a", "RS256", "--encoding", "base64url", "--signature", file("doc.sig64"), "--file", file("doc.txt")])).code, 0);
      // The PEM `show` prints is what openssl needs to check a signature the vault made.
      writeFileSync(file("rsa.pub.pem"), pem);
      await ok(["sign", "rsa-signing", "-a", "RS256", "--file", file("doc.txt"), "-o", file("doc.rs256")]);
      const openssl = execFileSync("openssl", ["dgst", "-sha256", "-verify", file("rsa.pub.pem"), "-signature", file("doc.rs256"), file("doc.txt")], { encoding: "utf8" });
      assert.equal(openssl.trim(), "Verified OK");
      // --digest: the input is the digest itself.
      writeFileSync(file("doc.sha256"), createHash("sha256").update("the document").digest());
      assert.equal((await ok(["verify", "rsa-signing", "-a", "RS256", "--digest", "--encoding", "base64url", "--signature", file("doc.sig64"), "--file", file("doc.sha256")])).code, 0);
    });

    it("encrypts and decrypts (RSA-OAEP-256 to files, AES-GCM with --json and the IV and tag back)", async () => {
      await ok(["create", "wrapping", "--size", "3072"]);
      writeFileSync(file("plain.bin"), Buffer.from([0, 1, 2, 255, 254]));
      await ok(["encrypt", "wrapping", "-a", "RSA-OAEP-256", "--file", file("plain.bin"), "-o", file("plain.enc")]);
      await ok(["decrypt", "wrapping", "-a", "RSA-OAEP-256", "--file", file("plain.enc"), "-o", file("plain.out")]);
      assert.deepEqual(readFileSync(file("plain.out")), readFileSync(file("plain.bin")));
      assert.equal(statSync(file("plain.out")).mode & 0o777, 0o600);
      await ok(["create", "aes", "--type", "oct", "--size", "256"]);
      const sealed = JSON.parse((await ok(["encrypt", "aes", "-a", "A256GCM", "--json"], "gcm text")).stdout) as { value: string; iv: string; tag: string };
      writeFileSync(file("gcm.enc"), sealed.value);
      const opened = await ok(["decrypt", "aes", "-a", "A256GCM", "--encoding", "base64url", "--iv", sealed.iv, "--tag", sealed.tag, "--file", file("gcm.enc")]);
      assert.equal(opened.stdout, "gcm text");
      const cbc = await ok(["encrypt", "aes", "-a", "A256CBCPAD", "--encoding", "base64url"], "cbc text");
      assert.match(cbc.stderr, /decrypt with --iv [\w-]{22}/, "the IV the vault made is told on stderr");
    });

    it("wraps and unwraps a data key; random bytes; refuses what cannot work with the usage or vault's status", async () => {
      writeFileSync(file("dek.bin"), Buffer.alloc(32, 7));
      await ok(["wrap", "wrapping", "-a", "RSA-OAEP", "--file", file("dek.bin"), "-o", file("dek.wrapped")]);
      await ok(["unwrap", "wrapping", "-a", "RSA-OAEP", "--file", file("dek.wrapped"), "-o", file("dek.out")]);
      assert.deepEqual(readFileSync(file("dek.out")), Buffer.alloc(32, 7));
      assert.match((await ok(["random", "--count", "16", "--encoding", "base64url"])).stdout, /^[\w-]{22}\n$/);
      assert.equal((await keys(["random", "--count", "129"])).code, 2);
      assert.equal((await keys(["sign", "wrapping", "-a", "ES256"], "x")).code, 2, "an algorithm the key cannot run");
      assert.equal((await keys(["encrypt", "wrapping", "-a", "RSA-OAEP", "--encoding", "hex"], "x")).code, 2);
      assert.equal((await keys(["create", "bad", "--type", "DSA"])).code, 2);
      assert.equal((await keys(["sign", "wrapping", "--file", file("dek.bin")])).code, 2, "-a is required");
      await ok(["update", "wrapping", "--disable"]);
      assert.equal((await keys(["unwrap", "wrapping", "-a", "RSA-OAEP", "--file", file("dek.wrapped")])).code, 4, "a disabled key does not unwrap");
      assert.equal((await keys(["update", "wrapping"])).code, 2, "nothing to change");
    });

    it("imports a PEM and a JWK; the private key never appears in any output", async () => {
      const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
      const canary = (privateKey.export({ format: "jwk" }) as { d: string }).d;
      writeFileSync(file("ec.pem"), privateKey.export({ format: "pem", type: "pkcs8" }));
      const outputs = [
        await ok(["import", "imported", "--file", file("ec.pem"), "--hsm"]),
        await ok(["show", "imported", "--json"]),
        await ok(["show", "imported", "--format", "jwk"]),
        await ok(["import", "imported", "--json"], JSON.stringify(privateKey.export({ format: "jwk" }))),
        await ok(["versions", "imported", "--json"]),
        await ok(["delete", "imported", "--json"]),
        await ok(["deleted", "--json"]),
        await ok(["recover", "imported", "--json"]),
      ];
      assert.match(outputs[0]!.stdout, /\(EC-HSM, version/);
      for (const output of outputs) assert.equal(`${output.stdout}${output.stderr}`.includes(canary), false);
      const bad = await keys(["import", "bad-import"], "not a key");
      assert.equal(bad.code, 2);
      assert.equal(bad.stderr.includes("not a key"), false, "the file's content is not echoed");
    });

    it("deletes, recovers, purges (--yes needed off a terminal), backs up and restores", async () => {
      await ok(["create", "short-lived", "--type", "EC"]);
      await ok(["backup", "short-lived", "-o", file("short.backup")]);
      assert.match((await ok(["delete", "short-lived"])).stdout, /recoverable until/);
      assert.equal((await keys(["show", "short-lived"])).code, 3);
      assert.equal((await keys(["create", "short-lived"])).code, 6, "a deleted name is held");
      assert.match((await ok(["deleted"])).stdout, /^short-lived {2}deleted /m);
      assert.equal((await keys(["purge", "short-lived"])).code, 2);
      await ok(["purge", "short-lived", "--yes"]);
      assert.match((await ok(["restore", "--file", file("short.backup")])).stdout, /^Restored short-lived\.\n$/);
      assert.equal((await keys(["restore", "--file", file("short.backup")])).code, 6);
    });

    it("shows and sets the rotation policy", async () => {
      await ok(["rotation-policy", "signing", "--rotate-after", "P90D", "--expires-in", "P1Y"]);
      const policy = JSON.parse((await ok(["rotation-policy", "signing", "--json"])).stdout) as { lifetimeActions: unknown[]; expiresIn: string };
      assert.deepEqual(policy.lifetimeActions, [{ action: "Rotate", timeAfterCreate: "P90D" }]);
      assert.equal(policy.expiresIn, "P1Y");
      assert.match((await ok(["rotation-policy", "signing"])).stdout, /Rotate P90D after creation/);
    });
  });
}
