import type { KeyAttributesInput } from "../core/key-types.js";
import type { CurveName } from "../crypto/types.js";

/** The options of the keys client's methods (keys-client.ts). */

export interface KeyVersionOption {
  /** A 32-hex version id; the latest version when absent. */
  version?: string;
}

/** `hsm: true` makes an `RSA-HSM` / `EC-HSM` / `oct-HSM` key, as the SDK's option does. */
export interface CreateRsaKeyOptions extends KeyAttributesInput {
  /** 2048 (default), 3072 or 4096 bits. */
  keySize?: number;
  /** 65537 when absent. */
  publicExponent?: number;
  hsm?: boolean;
}
export interface CreateEcKeyOptions extends KeyAttributesInput {
  /** P-256 (default), P-384, P-521 or P-256K. */
  curve?: CurveName;
  hsm?: boolean;
}
export interface CreateOctKeyOptions extends KeyAttributesInput {
  /** 128, 192 or 256 (default) bits. */
  keySize?: number;
  hsm?: boolean;
}

export interface EncryptOptions extends KeyVersionOption {
  /** AES-CBC only; the vault makes one when absent and returns it. */
  iv?: Uint8Array;
  /** AES-GCM only. */
  additionalAuthenticatedData?: Uint8Array;
}
export interface DecryptOptions extends EncryptOptions {
  /** AES-GCM only: the tag encrypt returned. */
  authenticationTag?: Uint8Array;
}
