import { SecretStr } from "../../core/secret-str.js";
import { pemBundle, readPfx } from "../../x509/index.js";

const PFX = "application/x-pkcs12";
export const PEM = "application/x-pem-file";

/**
 * `GET /secrets/{n}/{v}?outContentType=application/x-pem-file` (api-version 2025-07-01): a
 * certificate's PFX secret answered as PEM (key when present, leaf, chain). Any other pairing is
 * answered as stored (undefined here), as the service does for a secret that is not a PFX.
 */
export function pemOfPfxSecret(contentType: string | undefined, value: SecretStr, outContentType: string): SecretStr | undefined {
  if (outContentType.toLowerCase() !== PEM || contentType !== PFX) return undefined;
  const { keys, certificates } = readPfx(Buffer.from(value.reveal(), "base64"));
  const [certificate, ...chain] = certificates;
  if (certificate === undefined) return undefined;
  const material = keys[0] === undefined ? { certificate, chain } : { privateKey: keys[0], certificate, chain };
  return new SecretStr(pemBundle(material));
}
