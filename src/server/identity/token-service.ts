import { randomUUID } from "node:crypto";
import { CHALLENGE_TENANT } from "../auth.js";
import { signJwt, verifyJwt, type JwtCheck, type JwtClaims } from "./jwt.js";
import type { SigningKey } from "./signing-key.js";
import type { StoredPrincipal } from "./identity-store.js";

/** The tenant this server's identities live in: the one its 401 challenges name, so SDK credentials accept it. */
export const SERVER_TENANT = CHALLENGE_TENANT;
/** Key Vault's resource: what the SDK asks a token for after the challenge (docs/keyvault-wire.md §3.3). */
export const KEY_VAULT_RESOURCE = "https://vault.azure.net";
export const DEFAULT_TOKEN_LIFETIME_SECONDS = 3600;
/** Tolerance on exp and nbf, as Entra-validating services allow for clock drift. */
export const DEFAULT_SKEW_SECONDS = 300;
/** A signed-in user's refresh token lives 90 days, as Entra's do; each use rotates it. */
export const REFRESH_TOKEN_LIFETIME_SECONDS = 90 * 24 * 3600;
/** The audience of refresh tokens: never a vault's, so a refresh token is useless as an access token and the reverse. */
const REFRESH_AUDIENCE = "urn:orbitra:refresh-token";

export interface TokenServiceOptions {
  key: SigningKey;
  /** Milliseconds since the epoch; tests move it. */
  now?: () => number;
  lifetimeSeconds?: number;
  skewSeconds?: number;
  /**
   * Which audiences are this server's (see server-names.ts): Key Vault's resource and the
   * server's own names. Default: Key Vault's resource only.
   */
  acceptsAudience?: (audience: string) => boolean;
}

/** What the device-code and refresh-token grants return for a user, in Entra's field names. */
export interface UserTokenResponse {
  token_type: "Bearer";
  scope: string;
  expires_in: number;
  ext_expires_in: number;
  access_token: string;
  refresh_token: string;
  refresh_token_expires_in: number;
  /** MSAL builds the signed-in account from these two. */
  id_token: string;
  client_info: string;
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

  /**
   * Access, refresh and ID token for a user who signed in through public client `clientId`. The
   * client_info (uid.utid) and ID token are what MSAL keys its account cache on.
   */
  issueUser(principal: StoredPrincipal, resource: string, origin: string, clientId: string): UserTokenResponse {
    const access = this.issue(principal, resource, origin);
    const iat = Math.floor(this.now() / 1000);
    const iss = TokenService.issuer(origin);
    const sign = (claims: Omit<JwtClaims, "iss" | "iat" | "nbf">) => signJwt({ ...claims, iss, iat, nbf: iat } as JwtClaims, this.options.key.privateKey, this.options.key.keyId);
    const refresh = sign({ aud: REFRESH_AUDIENCE, sub: principal.id, azp: clientId, tid: SERVER_TENANT, exp: iat + REFRESH_TOKEN_LIFETIME_SECONDS, jti: randomUUID() });
    const id = sign({
      aud: clientId,
      sub: principal.id,
      oid: principal.id,
      tid: SERVER_TENANT,
      name: principal.name,
      preferred_username: principal.name,
      exp: access.expiresOn,
      ver: "2.0",
    });
    return {
      token_type: "Bearer",
      scope: `${resource}/.default`,
      expires_in: access.expiresIn,
      ext_expires_in: access.expiresIn,
      access_token: access.token,
      refresh_token: refresh,
      refresh_token_expires_in: REFRESH_TOKEN_LIFETIME_SECONDS,
      id_token: id,
      client_info: Buffer.from(JSON.stringify({ uid: principal.id, utid: SERVER_TENANT })).toString("base64url"),
    };
  }

  /** The principal id and client a refresh token was issued to, if it is ours, unexpired and for this client. */
  checkRefreshToken(token: string, clientId: string): { ok: true; principalId: string; tokenId: string; expiresAt: number } | { ok: false; reason: string } {
    const check = verifyJwt(token, {
      publicKey: this.options.key.publicKey,
      now: Math.floor(this.now() / 1000),
      skewSeconds: this.skewSeconds,
      issuer: (iss) => ISSUER.test(iss),
      audiences: (aud) => aud === REFRESH_AUDIENCE,
    });
    if (!check.ok) return check;
    if (check.claims.azp !== clientId) return { ok: false, reason: "The refresh token was issued to another client." };
    if (typeof check.claims.jti !== "string") return { ok: false, reason: "The refresh token has no id." };
    return { ok: true, principalId: check.claims.sub, tokenId: check.claims.jti, expiresAt: check.claims.exp };
  }

  /**
   * Checks a token for one of this server's vaults. The audience must be one the server owns,
   * never one derived from the request: a Host header is the client's to choose.
   */
  validate(token: string): JwtCheck {
    return verifyJwt(token, {
      publicKey: this.options.key.publicKey,
      now: Math.floor(this.now() / 1000),
      skewSeconds: this.skewSeconds,
      issuer: (iss) => ISSUER.test(iss),
      audiences: (aud) => this.acceptsAudience(aud),
    });
  }

  /** True for an audience this server issues tokens for and accepts. */
  acceptsAudience(audience: string): boolean {
    return this.options.acceptsAudience ? this.options.acceptsAudience(audience) : audience.replace(/\/+$/, "").toLowerCase() === KEY_VAULT_RESOURCE;
  }

  /** The public key as a JWKS, for the discovery document's jwks_uri. */
  jwks(): { keys: Record<string, unknown>[] } {
    const jwk = this.options.key.publicKey.export({ format: "jwk" });
    return { keys: [{ ...jwk, kid: this.options.key.keyId, use: "sig", alg: "ES256" }] };
  }
}
