import { randomUUID } from "node:crypto";
import { CHALLENGE_TENANT } from "../auth.js";
import { signJwt, verifyJwt, type JwtCheck } from "./jwt.js";
import type { SigningKey } from "./signing-key.js";
import type { StoredPrincipal } from "./identity-store.js";

/** The tenant this server's identities live in: the one its 401 challenges name, so SDK credentials accept it. */
export const SERVER_TENANT = CHALLENGE_TENANT;
/** Key Vault's resource: what the SDK asks a token for after the challenge (fact sheet §3.3). */
export const KEY_VAULT_RESOURCE = "https://vault.azure.net";
export const DEFAULT_TOKEN_LIFETIME_SECONDS = 3600;
/** Tolerance on exp and nbf, as Entra-validating services allow for clock drift. */
export const DEFAULT_SKEW_SECONDS = 300;

export interface TokenServiceOptions {
  key: SigningKey;
  /** Milliseconds since the epoch; tests move it. */
  now?: () => number;
  lifetimeSeconds?: number;
  skewSeconds?: number;
}

export interface IssuedToken {
  token: string;
  expiresIn: number;
  /** Seconds since the epoch. */
  expiresOn: number;
}

const ISSUER = new RegExp(`^https://[^/]+/${SERVER_TENANT}/v2\\.0$`);

/** Issues and validates the server's access tokens (ES256 JWTs with iss, aud, sub, exp, nbf). */
export class TokenService {
  private readonly now: () => number;
  readonly lifetimeSeconds: number;
  readonly skewSeconds: number;

  constructor(private readonly options: TokenServiceOptions) {
    this.now = options.now ?? Date.now;
    this.lifetimeSeconds = options.lifetimeSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS;
    this.skewSeconds = options.skewSeconds ?? DEFAULT_SKEW_SECONDS;
  }

  /** The issuer as clients reach us: `https://host:port/<tenant>/v2.0`, as Entra's v2 issuer reads. */
  static issuer(origin: string): string {
    return `${origin}/${SERVER_TENANT}/v2.0`;
  }

  issue(principal: StoredPrincipal, audience: string, origin: string): IssuedToken {
    const iat = Math.floor(this.now() / 1000);
    const exp = iat + this.lifetimeSeconds;
    const token = signJwt(
      {
        iss: TokenService.issuer(origin),
        aud: audience,
        sub: principal.id,
        oid: principal.id,
        tid: SERVER_TENANT,
        ...(principal.kind === "service-principal" ? { appid: principal.id, azp: principal.id, idtyp: "app" } : { idtyp: "user", name: principal.name }),
        iat,
        nbf: iat,
        exp,
        jti: randomUUID(),
        ver: "2.0",
      },
      this.options.key.privateKey,
      this.options.key.keyId,
    );
    return { token, expiresIn: this.lifetimeSeconds, expiresOn: exp };
  }

  /** Checks a token for a vault reached at `origin`: Key Vault's resource or the vault's own URL. */
  validate(token: string, origin: string): JwtCheck {
    const own = origin.replace(/\/+$/, "").toLowerCase();
    return verifyJwt(token, {
      publicKey: this.options.key.publicKey,
      now: Math.floor(this.now() / 1000),
      skewSeconds: this.skewSeconds,
      issuer: (iss) => ISSUER.test(iss),
      audiences: (aud) => {
        const a = aud.replace(/\/+$/, "").toLowerCase();
        return a === KEY_VAULT_RESOURCE || a === own;
      },
    });
  }

  /** The public key as a JWKS, for the discovery document's jwks_uri. */
  jwks(): { keys: Record<string, unknown>[] } {
    const jwk = this.options.key.publicKey.export({ format: "jwk" });
    return { keys: [{ ...jwk, kid: this.options.key.keyId, use: "sig", alg: "ES256" }] };
  }
}
