import { createHash, createPrivateKey, type KeyObject } from "node:crypto";
import type Forge from "node-forge";
import { forge } from "../crypto/forge.js";
import { InternalError } from "../core/errors.js";
import { badPfx, wrongPfxPassword } from "./errors.js";
import type { CertificateMaterial } from "./material.js";

/**
 * PKCS#12 through node-forge: it reads every PFX seen in the wild (PBES2/AES from OpenSSL 3 and
 * current Windows, 3DES and RC2-40 from older tools, with SHA-1 or SHA-2 MACs). Its writer knows
 * RSA keys only, so the PFX is assembled here from its ASN.1, cipher and MAC parts, for any key.
 */

export interface PfxContents {
  /** Private keys found, in the file's order (normally one). */
  keys: KeyObject[];
  /** Certificates (DER), in the file's order. */
  certificates: Buffer[];
}

const MAC_ITERATIONS = 2048;
const KEY_ITERATIONS = 2048;

/**
 * Opens a PFX. Without a password both empty-password encodings are tried (the empty BMPString
 * and none at all: tools differ). A MAC that does not verify is a wrong password.
 */
export function readPfx(der: Uint8Array, password?: string): PfxContents {
  let parsed: Forge.asn1.Asn1;
  try {
    parsed = forge.asn1.fromDer(Buffer.from(der).toString("binary"));
  } catch {
    throw badPfx();
  }
  const attempts = password === undefined || password === "" ? ["", undefined] : [password];
  let failure: Error = badPfx();
  for (const attempt of attempts) {
    try {
      return contentsOf(parseKeepingCertificateBytes(parsed, attempt));
    } catch (error) {
      failure = /MAC could not be verified|decrypt|wrong password/i.test(String((error as Error).message)) ? wrongPfxPassword() : badPfx();
    }
  }
  throw failure;
}

/**
 * forge turns an RSA certificate into its own object, and writing that back regenerates parts of
 * it (the signature algorithm's parameters), which can change the bytes and so the thumbprint and
 * signature. For any other certificate it keeps the ASN.1 as read. So for the length of this
 * synchronous call its certificate parser declines, and every certificate stays as it came.
 */
function parseKeepingCertificateBytes(parsed: Forge.asn1.Asn1, password: string | undefined): Forge.pkcs12.Pkcs12Pfx {
  const parseCertificate = forge.pki.certificateFromAsn1;
  forge.pki.certificateFromAsn1 = () => {
    // Never seen by a caller: forge catches it and keeps the certificate as ASN.1.
    throw new InternalError("kept as ASN.1");
  };
  try {
    return forge.pkcs12.pkcs12FromAsn1(parsed, false, password as string);
  } finally {
    forge.pki.certificateFromAsn1 = parseCertificate;
  }
}

function contentsOf(p12: Forge.pkcs12.Pkcs12Pfx): PfxContents {
  const keys: KeyObject[] = [];
  const certificates: Buffer[] = [];
  for (const safe of p12.safeContents) {
    for (const bag of safe.safeBags) {
      if (bag.type === forge.pki.oids.certBag) {
        certificates.push(derOf(bag.asn1));
      } else if (bag.type === forge.pki.oids.keyBag || bag.type === forge.pki.oids.pkcs8ShroudedKeyBag) {
        const info = bag.key ? forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(bag.key)) : bag.asn1;
        keys.push(createPrivateKey({ key: derOf(info), format: "der", type: "pkcs8" }));
      }
    }
  }
  return { keys, certificates };
}

/**
 * A PFX (DER) as Key Vault's linked secret carries it, and as `download` writes it: certificates
 * in clear, the key in a keyBag when there is no password (so any tool opens it with an empty
 * one) or PBES2 AES-256-CBC / PBKDF2-HMAC-SHA256 when there is; an HMAC-SHA256 integrity MAC
 * either way; no private key when the certificate's key is not exportable. The leaf and the key share a localKeyId (the leaf's SHA-1), as OpenSSL pairs them.
 */
export function writePfx(input: CertificateMaterial, password?: string): Buffer {
  const pass = password ?? "";
  const localKeyId = createHash("sha1").update(input.certificate).digest();
  const attributes = set([seq([oid(forge.pki.oids.localKeyId!), set([octets(localKeyId)])])]);
  const certBags = [input.certificate, ...input.chain].map((der, i) =>
    seq([
      oid(forge.pki.oids.certBag!),
      explicit(0, [seq([oid(forge.pki.oids.x509Certificate!), explicit(0, [octets(der)])])]),
      ...(i === 0 ? [attributes] : []),
    ]),
  );
  const contents = [dataContentInfo(seq(certBags))];
  if (input.privateKey) {
    const info = forge.asn1.fromDer(input.privateKey.export({ type: "pkcs8", format: "der" }).toString("binary"));
    const keyBag =
      pass === ""
        ? seq([oid(forge.pki.oids.keyBag!), explicit(0, [info]), attributes])
        : seq([
            oid(forge.pki.oids.pkcs8ShroudedKeyBag!),
            explicit(0, [forge.pki.encryptPrivateKeyInfo(info, pass, { algorithm: "aes256", prfAlgorithm: "sha256", count: KEY_ITERATIONS, saltSize: 16 })]),
            attributes,
          ]);
    contents.push(dataContentInfo(seq([keyBag])));
  }
  const safe = seq(contents);
  const pfx = seq([integer(3), dataContentInfo(safe), macData(forge.asn1.toDer(safe).getBytes(), pass)]);
  return derOf(pfx);
}

function macData(authSafe: string, password: string): Forge.asn1.Asn1 {
  const salt = forge.random.getBytesSync(16);
  const key = forge.pkcs12.generateKey(password, forge.util.createBuffer(salt), 3, MAC_ITERATIONS, 32, forge.md.sha256.create());
  const hmac = forge.hmac.create();
  hmac.start(forge.md.sha256.create(), key.getBytes());
  hmac.update(authSafe);
  const digestInfo = seq([seq([oid(forge.pki.oids.sha256!), forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.NULL, false, "")]), octets(hmac.digest().getBytes())]);
  return seq([digestInfo, octets(salt), integer(MAC_ITERATIONS)]);
}

// Small ASN.1 builders over forge's binary strings.

const seq = (items: Forge.asn1.Asn1[]) => forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.SEQUENCE, true, items);
const set = (items: Forge.asn1.Asn1[]) => forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.SET, true, items);
const oid = (dotted: string) => forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.OID, false, forge.asn1.oidToDer(dotted).getBytes());
const explicit = (tag: number, items: Forge.asn1.Asn1[]) => forge.asn1.create(forge.asn1.Class.CONTEXT_SPECIFIC, tag, true, items);
const integer = (n: number) => forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.INTEGER, false, forge.asn1.integerToDer(n).getBytes());

function octets(bytes: Uint8Array | string): Forge.asn1.Asn1 {
  const binary = typeof bytes === "string" ? bytes : Buffer.from(bytes).toString("binary");
  return forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.OCTETSTRING, false, binary);
}

/** PKCS#7 `data` ContentInfo wrapping DER-encoded content. */
function dataContentInfo(content: Forge.asn1.Asn1): Forge.asn1.Asn1 {
  return seq([oid(forge.pki.oids.data!), explicit(0, [octets(forge.asn1.toDer(content).getBytes())])]);
}

function derOf(node: Forge.asn1.Asn1): Buffer {
  return Buffer.from(forge.asn1.toDer(node).getBytes(), "binary");
}
