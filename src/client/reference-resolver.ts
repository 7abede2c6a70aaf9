import type { TokenCredential } from "@azure/core-auth";
import { isOrbitraError, SecretResolutionError } from "../core/errors.js";
import { SecretStr } from "../core/secret-str.js";
import { normalizeEnvironment } from "../settings/model.js";
import {
  clipReference,
  formatSecretReference,
  isSecretReference,
  tryParseSecretReference,
  type SecretReference,
} from "../settings/references.js";
import { readSecrets } from "./bulk.js";
import { getSecretsClient } from "./get-secrets-client.js";
import type { OrbitraSecretsClient } from "./secrets-client.js";

/** The vault a reference points into: an environment of this project, or a vault named outright. */
export type ReferenceTarget =
  /** `orbitra://...`: the environment's vault, as its settings resolve it. */
  | { kind: "environment"; environment: string }
  /** `@Microsoft.KeyVault(...)`: a vault name (`myvault`) or a vault URL's origin (`https://myvault.vault.azure.net`). */
  | { kind: "vault"; keyVault: string };

export interface ResolveReferencesOptions {
  /**
   * The environment of `orbitra://NAME` references without `?environment=`; also the settings
   * (tenant, client id, CA file) used for App Service references' vaults. Default `prod`, as
   * `getSecretsClient`; the CLI passes its `--environment`.
   */
  environment?: string;
  /** The Azure credential for every vault; by default each environment's credential chain. */
  credential?: TokenCredential;
  /** Folder to read settings from; default `process.cwd()`. */
  cwd?: string;
  /** Variables to read settings from; default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /**
   * Makes the client for a target (tests, or a caller with its own clients). Clients made this
   * way are the caller's: {@link SecretReferenceResolver.close} does not close them.
   */
  clientFor?: (target: ReferenceTarget) => OrbitraSecretsClient;
  /** Reads in flight at once per vault; default as `getSecrets`. */
  concurrency?: number;
  signal?: AbortSignal;
}

/** One entry of a settings object: a value, or `undefined` for a setting no source gave. */
export type SettingsValues = Readonly<Record<string, string | undefined>>;

interface Pending {
  key: string;
  raw: string;
  reference: SecretReference;
  cacheKey: string;
}

/**
 * Resolves secret references (see `settings/references.ts`) in a settings object, after the
 * source merge: pass only the values that won, and the references among them are read.
 *
 * One resolver has its own credential, its own clients (one per vault, made on first use) and
 * an instance-local cache: a reference is read once per resolver, however many settings or calls
 * use it. Failed reads are not cached.
 *
 * ```ts
 * const resolver = new SecretReferenceResolver({ environment: "dev" });
 * try {
 *   const env = await resolver.resolve({ ...process.env });   // strings, for a child process
 * } finally {
 *   await resolver.close();
 * }
 * ```
 */
export class SecretReferenceResolver {
  readonly #options: ResolveReferencesOptions;
  readonly #environment: string;
  readonly #values = new Map<string, Promise<SecretStr>>();
  /** Clients by target key; `owned` when this resolver made them and must close them. */
  readonly #clients = new Map<string, { client: OrbitraSecretsClient; owned: boolean }>();

  constructor(options: ResolveReferencesOptions = {}) {
    this.#options = options;
    this.#environment = normalizeEnvironment(options.environment ?? "prod");
  }

  /**
   * A copy of `values` with every reference replaced by its secret as a {@link SecretStr} (an
   * empty secret gives an empty SecretStr); other values are copied as they are, `undefined`
   * ones are left out. Throws one `SecretResolutionError` whose `failures` list every reference
   * that could not be resolved (malformed, unknown environment, not found, denied...), in key
   * order, with the reason and never a value.
   */
  async resolveToSecrets(values: SettingsValues): Promise<Record<string, string | SecretStr>> {
    const out: [string, string][] = [];
    const failures: { key: string; reference: string; reason: string }[] = [];
    const pending: Pending[] = [];
    for (const [key, value] of Object.entries(values)) {
      if (value === undefined) continue;
      if (!isSecretReference(value)) {
        out.push([key, value]);
        continue;
      }
      const parsed = tryParseSecretReference(value);
      if (!parsed.ok) {
        failures.push({ key, reference: clipReference(value), reason: `malformed reference: ${parsed.reason}` });
        out.push([key, value]); // placeholder; the call fails below
        continue;
      }
      const cacheKey = `${targetKey(this.#targetOf(parsed.reference))}|${formatSecretReference(parsed.reference).toLowerCase()}`;
      pending.push({ key, raw: value, reference: parsed.reference, cacheKey });
      out.push([key, value]); // replaced by the secret below
    }
    this.#startReads(pending);
    const settled = await Promise.allSettled(pending.map((p) => this.#values.get(p.cacheKey)!));
    this.#options.signal?.throwIfAborted();
    const resolved = new Map<string, SecretStr>();
    pending.forEach((p, i) => {
      const outcome = settled[i]!;
      if (outcome.status === "fulfilled") resolved.set(p.key, outcome.value);
      else failures.push({ key: p.key, reference: clipReference(p.raw), reason: reasonOf(outcome.reason) });
    });
    if (failures.length > 0) {
      const order = new Map(Object.keys(values).map((key, i) => [key, i]));
      failures.sort((a, b) => order.get(a.key)! - order.get(b.key)!);
      throw resolutionError(failures);
    }
    return Object.fromEntries(out.map(([key, value]) => [key, resolved.get(key) ?? value]));
  }

  /**
   * Like {@link resolveToSecrets}, with the secrets revealed: for a child's environment or a
   * settings object that needs plain strings. Reveal as late as you can.
   */
  async resolve(values: SettingsValues): Promise<Record<string, string>> {
    const resolved = await this.resolveToSecrets(values);
    return Object.fromEntries(Object.entries(resolved).map(([key, value]) => [key, typeof value === "string" ? value : value.reveal()]));
  }

  /** One reference's secret. Throws `SecretResolutionError` (one failure, key "") when it cannot. */
  async resolveReference(reference: string): Promise<SecretStr> {
    const resolved = await this.resolveToSecrets({ "": reference });
    const value = resolved[""];
    return value instanceof SecretStr ? value : new SecretStr(value ?? "");
  }

  /** Closes the clients this resolver made. It can be used again afterwards (they are made anew). */
  async close(): Promise<void> {
    const clients = [...this.#clients.values()];
    this.#clients.clear();
    await Promise.all(clients.filter((c) => c.owned).map((c) => c.client.close()));
  }

  /** Starts one batched read per vault for every reference not already cached or in flight. */
  #startReads(pending: readonly Pending[]): void {
    const groups = new Map<string, { target: ReferenceTarget; items: Pending[] }>();
    for (const p of pending) {
      if (this.#values.has(p.cacheKey)) continue;
      const target = this.#targetOf(p.reference);
      const key = targetKey(target);
      const group = groups.get(key) ?? { target, items: [] };
      if (!group.items.some((item) => item.cacheKey === p.cacheKey)) group.items.push(p);
      groups.set(key, group);
    }
    for (const { target, items } of groups.values()) {
      const batch = this.#readGroup(target, items);
      items.forEach((item, i) => {
        const value = batch.then((results) => results[i]!());
        // Failures are reported to this call, not remembered: a later call tries again.
        value.catch(() => {
          if (this.#values.get(item.cacheKey) === value) this.#values.delete(item.cacheKey);
        });
        this.#values.set(item.cacheKey, value);
      });
    }
  }

  /** Reads a group's references from one vault; each result is a thunk that returns or throws. */
  async #readGroup(target: ReferenceTarget, items: readonly Pending[]): Promise<(() => SecretStr)[]> {
    let client: OrbitraSecretsClient;
    try {
      client = this.#clientFor(target);
    } catch (error) {
      return items.map(() => () => {
        throw error;
      });
    }
    const outcomes = await readSecrets(
      client,
      items.map(({ reference }) => (reference.version ? { name: reference.name, version: reference.version } : { name: reference.name })),
      {
        ...(this.#options.concurrency !== undefined ? { concurrency: this.#options.concurrency } : {}),
        ...(this.#options.signal ? { signal: this.#options.signal } : {}),
      },
    );
    return outcomes.map((outcome) => () => {
      if (!outcome.ok) throw outcome.error;
      return outcome.value.value ?? new SecretStr("");
    });
  }

  #targetOf(reference: SecretReference): ReferenceTarget {
    if (reference.scheme === "orbitra") return { kind: "environment", environment: reference.environment ?? this.#environment };
    return { kind: "vault", keyVault: reference.vaultUrl ?? reference.vaultName! };
  }

  #clientFor(target: ReferenceTarget): OrbitraSecretsClient {
    const key = targetKey(target);
    const known = this.#clients.get(key);
    if (known) return known.client;
    const { clientFor, credential, cwd, env } = this.#options;
    let client: OrbitraSecretsClient;
    if (clientFor) {
      client = clientFor(target);
    } else {
      client = getSecretsClient({
        environment: target.kind === "environment" ? target.environment : this.#environment,
        ...(target.kind === "vault" ? { keyVault: target.keyVault } : {}),
        ...(credential ? { credential } : {}),
        ...(cwd !== undefined ? { cwd } : {}),
        ...(env !== undefined ? { env } : {}),
      });
    }
    this.#clients.set(key, { client, owned: !clientFor });
    return client;
  }
}

/**
 * One-shot: resolves every reference in `values` (see {@link SecretReferenceResolver.resolve})
 * and closes the clients it opened. Returns a copy with plain strings.
 */
export async function resolveSecretReferences(
  values: SettingsValues,
  options: ResolveReferencesOptions = {},
): Promise<Record<string, string>> {
  const resolver = new SecretReferenceResolver(options);
  try {
    return await resolver.resolve(values);
  } finally {
    await resolver.close();
  }
}

/** One-shot {@link SecretReferenceResolver.resolveToSecrets}: resolved references stay `SecretStr`. */
export async function resolveSecretReferencesToSecrets(
  values: SettingsValues,
  options: ResolveReferencesOptions = {},
): Promise<Record<string, string | SecretStr>> {
  const resolver = new SecretReferenceResolver(options);
  try {
    return await resolver.resolveToSecrets(values);
  } finally {
    await resolver.close();
  }
}

function targetKey(target: ReferenceTarget): string {
  return target.kind === "environment" ? `env:${target.environment}` : `vault:${target.keyVault.toLowerCase()}`;
}

function reasonOf(error: unknown): string {
  if (isOrbitraError(error)) return `${error.code}: ${error.message}`;
  return `unexpected error: ${error instanceof Error ? error.message : String(error)}`;
}

function resolutionError(failures: { key: string; reference: string; reason: string }[]): SecretResolutionError {
  const listed = failures
    .slice(0, 10)
    .map((f) => `${f.key || "(reference)"} = ${f.reference}: ${f.reason}`)
    .join("; ");
  const more = failures.length > 10 ? `; and ${failures.length - 10} more` : "";
  const n = failures.length;
  return new SecretResolutionError(`${n} secret reference${n === 1 ? "" : "s"} could not be resolved: ${listed}${more}`, failures);
}
