import { InvalidValueError } from "../core/errors.js";

/**
 * Every refusal of this folder is Key Vault's 400 `BadParameter` (the server maps `InvalidValue`
 * to it). Messages follow the service's own wording where it is known (quoted in public reports),
 * and its "Property X has invalid value" pattern elsewhere. None of them quotes a key or a password.
 */
export function badParameter(message: string): InvalidValueError {
  return new InvalidValueError(message, { statusCode: 400, serviceCode: "BadParameter" });
}

/** A policy member the service would refuse: `what` names the wire property, `why` what is allowed. */
export function invalidProperty(property: string, value: unknown, why: string): InvalidValueError {
  return badParameter(`Property ${property} has invalid value ${show(value)}. ${why}`);
}

export const badPem = (): InvalidValueError =>
  badParameter("The specified PEM X.509 certificate content is in an unexpected format. Please check if certificate is in valid PEM format.");

export const pemWithoutKey = (): InvalidValueError =>
  badParameter(
    "Private key is not specified in the specified X.509 PEM certificate content. Please specify private key in the X.509 PEM certificate content.",
  );

export const badPfx = (): InvalidValueError =>
  badParameter("The specified PKCS#12 X.509 certificate content can not be read. Please check if certificate is in valid PKCS#12 format.");

export const wrongPfxPassword = (): InvalidValueError =>
  badParameter(
    "The specified PKCS#12 X.509 certificate content can not be read. Please check if certificate is in valid PKCS#12 format. The password is wrong or missing.",
  );

export const keyMismatch = (): InvalidValueError => badParameter("Public key from x509 certificate and key of this instance doesn't match");

export const emptyX5c = (): InvalidValueError => badParameter("Property x5c has invalid value X5C must has at least one valid item");

/** Values echoed in messages are short and single-line, so a message is always one line. */
function show(value: unknown): string {
  const text = typeof value === "string" ? value : JSON.stringify(value) ?? String(value);
  // eslint-disable-next-line no-control-regex -- control characters are what we keep out of messages
  const clean = text.replace(/[\u0000-\u001f\u007f]/g, "?");
  return clean.length > 80 ? `${clean.slice(0, 80)}...` : clean;
}
