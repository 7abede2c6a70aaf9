import { webcrypto } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import * as x509 from "@peculiar/x509";

export interface TlsMaterial {
  /** PEM of the local CA: what clients trust (`tlsOptions: { ca }` or NODE_EXTRA_CA_CERTS). */
  ca: string;
  caFile: string;
  cert: string;
  key: string;
}

const ALG = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
const DAY = 24 * 60 * 60 * 1000;

/** Names every local server certificate covers, plus what the user adds with --san. */
export function defaultSans(extra: readonly string[] = []): string[] {
  return [...new Set(["localhost", "*.localhost", "127.0.0.1", "::1", hostname().toLowerCase(), ...extra.map((s) => s.toLowerCase())])].sort();
}

/**
 * A local CA and a server certificate signed by it, kept in `dir` and reused, so clients trust
 * the CA once. The server certificate is made again when the names asked for change or it is
 * within 30 days of expiry; the CA lasts ten years.
 */
export async function ensureTlsMaterial(dir: string, sans: readonly string[]): Promise<TlsMaterial> {
  x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const files = {
    ca: join(dir, "ca.pem"),
    caKey: join(dir, "ca-key.pem"),
    cert: join(dir, "server.pem"),
    key: join(dir, "server-key.pem"),
    sans: join(dir, "server-sans.json"),
  };
  if (!existsSync(files.ca) || !existsSync(files.caKey)) {
    const keys = await webcrypto.subtle.generateKey(ALG, true, ["sign", "verify"]);
    const now = Date.now();
    const ca = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: serial(),
      name: `CN=orbitra local CA (${hostname()})`,
      notBefore: new Date(now - DAY),
      notAfter: new Date(now + 3650 * DAY),
      keys,
      signingAlgorithm: ALG,
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      ],
    });
    writeFileSync(files.caKey, await privateKeyPem(keys.privateKey), { mode: 0o600 });
    writeFileSync(files.ca, ca.toString("pem") + "\n", { mode: 0o644 });
  }
  const wanted = JSON.stringify([...sans].sort());
  const current = existsSync(files.sans) ? readFileSync(files.sans, "utf8") : "";
  if (current !== wanted || !existsSync(files.cert) || nearExpiry(readFileSync(files.cert, "utf8"))) {
    await issueServerCertificate(files, sans);
    writeFileSync(files.sans, wanted, { mode: 0o644 });
  }
  return {
    ca: readFileSync(files.ca, "utf8"),
    caFile: files.ca,
    cert: readFileSync(files.cert, "utf8"),
    key: readFileSync(files.key, "utf8"),
  };
}

async function issueServerCertificate(
  files: { ca: string; caKey: string; cert: string; key: string },
  sans: readonly string[],
): Promise<void> {
  const ca = new x509.X509Certificate(readFileSync(files.ca, "utf8"));
  const caKey = await webcrypto.subtle.importKey(
    "pkcs8",
    x509.PemConverter.decodeFirst(readFileSync(files.caKey, "utf8")),
    ALG,
    false,
    ["sign"],
  );
  const keys = await webcrypto.subtle.generateKey(ALG, true, ["sign", "verify"]);
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: "CN=localhost",
    issuer: ca.subject,
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + 397 * DAY),
    signingKey: caKey,
    publicKey: keys.publicKey,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(
        sans.map((name) => (/^[\d.]+$|:/.test(name) ? { type: "ip" as const, value: name } : { type: "dns" as const, value: name })),
      ),
      await x509.AuthorityKeyIdentifierExtension.create(ca),
    ],
  });
  writeFileSync(files.key, await privateKeyPem(keys.privateKey), { mode: 0o600 });
  writeFileSync(files.cert, cert.toString("pem") + "\n", { mode: 0o644 });
}

async function privateKeyPem(key: webcrypto.CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey("pkcs8", key);
  return x509.PemConverter.encode(der, "PRIVATE KEY") + "\n";
}

function nearExpiry(pem: string): boolean {
  try {
    return new x509.X509Certificate(pem).notAfter.getTime() - Date.now() < 30 * DAY;
  } catch {
    return true;
  }
}

function serial(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0]! &= 0x7f;
  return Buffer.from(bytes).toString("hex");
}
