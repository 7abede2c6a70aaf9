import { createPublicKey, webcrypto } from "node:crypto";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { writeFileAtomically } from "../core/atomic-file.js";
import { hostname } from "node:os";
import { isIP } from "node:net";
import { join } from "node:path";
import { x509, type Peculiar } from "../x509/peculiar.js";

export interface TlsMaterial {
  /** PEM of the local CA: what clients trust (`tlsOptions: { ca }` or NODE_EXTRA_CA_CERTS). */
  ca: string;
  caFile: string;
  cert: string;
  key: string;
}

/** EC P-256: a key pair in a millisecond, and every TLS client takes it. */
const ALG = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
const DAY = 24 * 60 * 60 * 1000;
/** Server certificates live 397 days (what browsers accept) and are renewed in their last 30. */
const SERVER_DAYS = 397;
const RENEW_DAYS = 30;

/**
 * The names every local server certificate covers, plus extras (--san, each vault's
 * `NAME.localhost`). `*.localhost` is there for clients that take a wildcard on a single-label
 * parent; Node does not (it refuses `*.tld` patterns), hence the explicit per-vault names.
 */
export function defaultSans(extra: readonly string[] = []): string[] {
  const names = ["localhost", "*.localhost", "127.0.0.1", "::1", hostname().toLowerCase(), ...extra.map((s) => s.toLowerCase())];
  return [...new Set(names.filter((n) => n !== ""))].sort();
}

/**
 * A local CA and a server certificate signed by it, kept in `dir` and reused so clients trust the
 * CA once. The server certificate is issued again when the names asked for change, when it nears
 * expiry, or when it was not signed by the CA on disk (say the CA files were replaced); the CA
 * lasts ten years. Private keys are written 0600, and every file through a rename, so a crash
 * never leaves half a PEM behind.
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
  if (!existsSync(files.ca) || !existsSync(files.caKey)) await createCa(files);
  const ca = new x509.X509Certificate(readFileSync(files.ca, "utf8"));
  const wanted = JSON.stringify([...sans].sort());
  const current = existsSync(files.sans) ? readFileSync(files.sans, "utf8") : "";
  if (current !== wanted || !(await stillGood(files.cert, files.key, ca))) {
    await issueServerCertificate(files, ca, sans);
    writeFileAtomically(files.sans, wanted, 0o644);
  }
  return {
    ca: readFileSync(files.ca, "utf8"),
    caFile: files.ca,
    cert: readFileSync(files.cert, "utf8"),
    key: readFileSync(files.key, "utf8"),
  };
}

async function createCa(files: { ca: string; caKey: string }): Promise<void> {
  const keys = await webcrypto.subtle.generateKey(ALG, true, ["sign", "verify"]);
  const now = Date.now();
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=orbitra local CA (${hostname().replace(/[,=+<>#;"\\]/g, "-")})`,
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
  writeFileAtomically(files.caKey, await privateKeyPem(keys.privateKey), 0o600);
  writeFileAtomically(files.ca, ca.toString("pem") + "\n", 0o644);
}

async function issueServerCertificate(
  files: { caKey: string; cert: string; key: string },
  ca: Peculiar.X509Certificate,
  sans: readonly string[],
): Promise<void> {
  const caKey = await webcrypto.subtle.importKey("pkcs8", x509.PemConverter.decodeFirst(readFileSync(files.caKey, "utf8")), ALG, false, ["sign"]);
  const keys = await webcrypto.subtle.generateKey(ALG, true, ["sign", "verify"]);
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: "CN=localhost",
    issuer: ca.subject,
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + SERVER_DAYS * DAY),
    signingKey: caKey,
    publicKey: keys.publicKey,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(
        sans.map((name) => (isIP(name) ? { type: "ip" as const, value: name } : { type: "dns" as const, value: name })),
      ),
      await x509.AuthorityKeyIdentifierExtension.create(ca),
    ],
  });
  // Key first: a certificate on disk always has its key.
  writeFileAtomically(files.key, await privateKeyPem(keys.privateKey), 0o600);
  writeFileAtomically(files.cert, cert.toString("pem") + "\n", 0o644);
}

/**
 * The server certificate exists, parses, is not in its last 30 days, was signed by this CA, and
 * belongs to the key beside it (else TLS would refuse to start with a cryptic "key values mismatch").
 */
async function stillGood(certFile: string, keyFile: string, ca: Peculiar.X509Certificate): Promise<boolean> {
  try {
    const cert = new x509.X509Certificate(readFileSync(certFile, "utf8"));
    if (cert.notAfter.getTime() - Date.now() < RENEW_DAYS * DAY) return false;
    const publicKey = createPublicKey(readFileSync(keyFile, "utf8")).export({ type: "spki", format: "der" });
    if (!Buffer.from(cert.publicKey.rawData).equals(publicKey)) return false;
    return await cert.verify({ publicKey: ca.publicKey, signatureOnly: true });
  } catch {
    return false;
  }
}

async function privateKeyPem(key: webcrypto.CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey("pkcs8", key);
  return x509.PemConverter.encode(der, "PRIVATE KEY") + "\n";
}

function serial(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0]! &= 0x7f;
  return Buffer.from(bytes).toString("hex");
}
