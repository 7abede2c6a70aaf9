import type { OrbitraSecretsClient } from "../client/secrets-client.js";
import { getSecrets } from "../client/bulk.js";
import { getSecretsClient } from "../client/get-secrets-client.js";
import { InvalidValueError } from "../core/errors.js";
import { resolveSecretReferences } from "../client/reference-resolver.js";
import { mapSecretNamesToEnv } from "../formats/env-names.js";
import { parseDotenv } from "../formats/dotenv.js";
import { isSecretReference } from "../settings/references.js";
import { readUserFile } from "./private-file.js";

export interface ChildEnvOptions {
  environment: string;
  envFiles: string[];
  /** Add every secret of the environment under its variable name. */
  all: boolean;
  prefix?: string;
  /** Values from files and secrets replace variables the parent already has. */
  override: boolean;
  cwd: string;
  env: NodeJS.ProcessEnv;
  client: () => OrbitraSecretsClient;
}

/**
 * The environment `orbitra run` gives its child: the parent's variables, the env files' entries,
 * every reference among them resolved (all failures reported at once), and with `all` every
 * secret of the environment. Parent variables win unless `override`; a parent variable holding a
 * reference is replaced by its value, since the reference is what asked for it.
 */
export async function buildChildEnv(options: ChildEnvOptions): Promise<Record<string, string>> {
  const fromFiles = new Map<string, string>();
  for (const file of options.envFiles) {
    for (const [name, value] of parseDotenv(readUserFile(file).toString("utf8"))) fromFiles.set(name, value.reveal());
  }

  const parent = options.env;
  const wanted: Record<string, string> = {};
  for (const [name, value] of fromFiles) {
    if (options.override || parent[name] === undefined) wanted[name] = value;
  }
  for (const [name, value] of Object.entries(parent)) {
    if (value !== undefined && isSecretReference(value) && !(name in wanted)) wanted[name] = value;
  }

  // References to the chosen environment use the command's own client (it honours --key-vault);
  // any other environment or vault gets a client of its own, closed here afterwards.
  const others: OrbitraSecretsClient[] = [];
  let resolved: Record<string, string>;
  try {
    resolved = await resolveSecretReferences(wanted, {
      environment: options.environment,
      cwd: options.cwd,
      env: options.env,
      clientFor: (target) => {
        if (target.kind === "environment" && target.environment === options.environment) return options.client();
        const client = getSecretsClient({
          cwd: options.cwd,
          env: options.env,
          ...(target.kind === "environment"
            ? { environment: target.environment }
            : { environment: options.environment, keyVault: target.keyVault }),
        });
        others.push(client);
        return client;
      },
    });
  } finally {
    await Promise.all(others.map((c) => c.close()));
  }

  const childEnv: Record<string, string> = {};
  for (const [name, value] of Object.entries(parent)) if (value !== undefined) childEnv[name] = value;
  for (const [name, value] of Object.entries(resolved)) {
    // The reference may be named (it is no secret); a plain value from a file may not.
    const from = isSecretReference(wanted[name] ?? "") ? wanted[name]! : "an --env-file";
    childEnv[name] = carriable(value, name, from);
  }

  if (options.all) {
    const client = options.client();
    const names = await client.listSecrets();
    const variables = mapSecretNamesToEnv(names, options.prefix ? { prefix: options.prefix } : {});
    const values = await getSecrets(client, names);
    for (const [secretName, variable] of variables) {
      if (!options.override && parent[variable] !== undefined && !isSecretReference(parent[variable]!)) continue;
      if (fromFiles.has(variable) && !options.override) continue;
      childEnv[variable] = carriable(values.get(secretName)?.reveal() ?? "", variable, `secret ${secretName}`);
    }
  }
  return childEnv;
}

/**
 * A NUL cannot be in a process's environment, and Node's refusal quotes the whole value in its
 * message (ERR_INVALID_ARG_VALUE): the error names the variable and where its value came from.
 */
function carriable(value: string, variable: string, from: string): string {
  if (!value.includes("\0")) return value;
  throw new InvalidValueError(
    `The value of ${variable} (from ${from}) contains a NUL character, which no program's environment can carry; nothing was started. Store such a value encoded, e.g. base64.`,
  );
}
