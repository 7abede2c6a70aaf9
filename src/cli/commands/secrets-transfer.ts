import type { Command } from "commander";
import type { OrbitraSecretsClient } from "../../client/secrets-client.js";
import { InvalidValueError, isOrbitraError } from "../../core/errors.js";
import { assertValidName, assertValidValue } from "../../core/rules.js";
import { SecretStr } from "../../core/secret-str.js";
import { fromEnvName, mapSecretNamesToEnv } from "../../formats/env-names.js";
import { FORMATS, isFormatName, type FormatName } from "../../formats/registry.js";
import { loadSettings } from "../../settings/load.js";
import type { CliContext } from "../context.js";
import { warnAboutSettings } from "../settings-warnings.js";
import { confirm } from "../read-value.js";
import { readUserFile, writePrivateFile } from "../private-file.js";
import { progress } from "../progress.js";
import { withVaultOptions } from "../command-builder.js";
import { withClient, writeResult, type VaultOptions } from "../object-command.js";
import { UsageError } from "../usage-error.js";
import { SECRETS } from "./secrets-kind.js";

type Overwrite = "never" | "changed" | "always";

function formatOf(text: string | undefined, file?: string): FormatName {
  const name = text ?? (file?.endsWith(".json") ? "json" : "dotenv");
  if (!isFormatName(name)) throw new UsageError(`--format must be dotenv, json, shell or docker, not '${name}'.`);
  return name;
}

function overwriteOf(text: string | undefined): Overwrite {
  const policy = text ?? "never";
  if (policy !== "never" && policy !== "changed" && policy !== "always") {
    throw new UsageError("--overwrite must be never, changed or always.");
  }
  return policy;
}

/** Runs `fn` with a client for `--from` and one for `--to`, and closes both whatever happens. */
async function withEnvironments(
  options: { from: string; to: string },
  ctx: CliContext,
  fn: (from: OrbitraSecretsClient, to: OrbitraSecretsClient) => Promise<void>,
): Promise<void> {
  const settings = loadSettings({ cwd: ctx.cwd, env: ctx.env });
  warnAboutSettings(settings, ctx);
  const from = await SECRETS.open({ environment: options.from, cwd: ctx.cwd, env: ctx.env, settings });
  const to = await SECRETS.open({ environment: options.to, cwd: ctx.cwd, env: ctx.env, settings, createLocalVault: true });
  try {
    await fn(from, to);
  } finally {
    await Promise.all([from.close(), to.close()]);
  }
}

async function readAll(client: OrbitraSecretsClient, names: string[], ctx: CliContext): Promise<Map<string, SecretStr | null>> {
  const bar = progress(ctx, "reading");
  try {
    return await client.getSecrets(names, { onProgress: bar.onProgress });
  } finally {
    bar.end();
  }
}

/**
 * Writes entries one policy-checked item at a time and reports each; on failure the summary says
 * exactly which were written before it.
 */
async function writeEntries(
  client: OrbitraSecretsClient,
  entries: Map<string, SecretStr>,
  policy: Overwrite,
  dryRun: boolean,
  ctx: CliContext,
  json: boolean,
): Promise<{ name: string; action: string }[]> {
  const existing = new Set((await client.listSecrets()).map((n) => n.toLowerCase()));
  const current = policy === "changed" ? await readAll(client, [...entries.keys()].filter((n) => existing.has(n.toLowerCase())), ctx) : new Map();
  const report: { name: string; action: string }[] = [];
  const say = (name: string, action: string) => {
    report.push({ name, action });
    if (!json) ctx.stdout.write(`${action.padEnd(9)} ${name}\n`);
  };
  for (const [name, value] of entries) {
    const exists = existing.has(name.toLowerCase());
    let action = exists ? "update" : "create";
    if (exists && policy === "never") action = "skip";
    if (exists && policy === "changed") action = current.get(name)?.equals(value) ? "unchanged" : "update";
    if (dryRun || action === "skip" || action === "unchanged") {
      say(name, dryRun && action !== "skip" && action !== "unchanged" ? `would-${action}` : action);
      continue;
    }
    try {
      await client.writeSecret(name, value);
    } catch (error) {
      const written = report.filter((r) => r.action === "create" || r.action === "update").map((r) => r.name);
      const why = isOrbitraError(error) ? error.message : String(error);
      throw new InvalidValueError(
        `Writing ${name} failed (${why}). Written before it: ${written.length ? written.join(", ") : "none"}; nothing after it was attempted.`,
        { cause: error },
      );
    }
    say(name, action);
  }
  return report;
}

export function registerTransferCommands(secrets: Command, ctx: CliContext): void {
  withVaultOptions(
    secrets
      .command("export")
      .summary("write every secret (or some) to a dotenv, json, shell or docker file")
      .argument("[names...]", "only these secrets (default: all)")
      .option("--format <format>", "dotenv (default), json, shell or docker")
      .option("-o, --output <file>", "write to this file (0600) instead of stdout")
      .option("--force", "overwrite --output if it exists")
      .option("--prefix <prefix>", "put this before every variable name (not for json)"),
  )
    .addHelpText(
      "after",
      "\nNames become variables as `db-password` -> DB_PASSWORD (json keeps the names).\n" +
        "A value a format cannot carry (a newline in docker's env-file) is refused with\n" +
        "the variable's name, never written wrong. --json is --format json.\n\n" +
        "Examples:\n  orbitra secrets export -e dev -o .env.dev\n  orbitra secrets export --format json db-password api-key > secrets.json",
    )
    .action(async (names: string[], options: VaultOptions & { format?: string; output?: string; force?: boolean; prefix?: string }) => {
      // --json, as on every command, means JSON; it is the json format here, not a report about it.
      if (options.json && options.format !== undefined && options.format !== "json") {
        throw new UsageError(`--json and --format ${options.format} ask for two formats; give one.`);
      }
      const format = FORMATS[formatOf(options.json ? "json" : options.format, options.output)];
      if (options.prefix && !format.envNames) throw new UsageError("--prefix applies to dotenv, shell and docker, not json.");
      await withClient(SECRETS.open, options, ctx, async (client) => {
        const chosen = names.length ? names : await client.listSecrets();
        const values = await readAll(client, chosen, ctx);
        const keys = format.envNames ? mapSecretNamesToEnv(chosen, options.prefix ? { prefix: options.prefix } : {}) : new Map(chosen.map((n) => [n, n]));
        const text = format.format([...keys].map(([secret, key]) => [key, values.get(secret) ?? null] as const));
        if (options.output) {
          writePrivateFile(options.output, text, Boolean(options.force));
          ctx.stderr.write(`Exported ${chosen.length} secrets to ${options.output} (${format.name}).\n`);
        } else {
          ctx.stdout.write(text);
        }
      });
    });

  withVaultOptions(
    secrets
      .command("import")
      .summary("write secrets from a dotenv or json file, reporting each")
      .requiredOption("--file <file>", "the file to read")
      .option("--format <format>", "dotenv or json (default: json for *.json, else dotenv)")
      .option("--prefix <prefix>", "dotenv: only variables with this prefix, which is dropped")
      .option("--overwrite <policy>", "existing secrets: never (default, skip), changed (write when different), always")
      .option("--dry-run", "say what would be written, write nothing"),
  )
    .addHelpText("after", "\nExamples:\n  orbitra secrets import --file .env --dry-run\n  orbitra secrets import --file secrets.json -e staging --overwrite changed")
    .action(async (options: VaultOptions & { file: string; format?: string; prefix?: string; overwrite?: string; dryRun?: boolean }) => {
      const format = FORMATS[formatOf(options.format, options.file)];
      const policy = overwriteOf(options.overwrite);
      const parsed = format.parse(readUserFile(options.file).toString("utf8"));
      const entries = new Map<string, SecretStr>();
      const skipped: string[] = [];
      for (const [key, value] of parsed) {
        const name = format.envNames ? fromEnvName(key, options.prefix ? { prefix: options.prefix } : {}) : key;
        if (name === undefined) skipped.push(key);
        else entries.set(name, value);
      }
      await withClient(SECRETS.open, options, ctx, async (client) => {
        // Every name and value is checked before the first write: a bad item stops nothing half-way.
        for (const [name, value] of entries) {
          assertValidName(name);
          assertValidValue(value.reveal(), name);
        }
        const report = await writeEntries(client, entries, policy, Boolean(options.dryRun), ctx, Boolean(options.json));
        if (options.json) writeResult(ctx, options, { items: report, skippedVariables: skipped }, "");
        else if (skipped.length) ctx.stderr.write(`Skipped ${skipped.length} variables without the prefix ${options.prefix}.\n`);
      }, { createLocalVault: !options.dryRun });
    });

  secrets
    .command("diff")
    .summary("compare two environments: names and whether values differ, never the values")
    .requiredOption("--from <env>", "the environment to compare from")
    .requiredOption("--to <env>", "the environment to compare to")
    .option("--json", "machine-readable output")
    .option("--debug", "print stack traces and causes of errors")
    .addHelpText("after", "\nOutput: '- name' only in --from, '+ name' only in --to, '~ name' value differs.\n\nExample:\n  orbitra secrets diff --from staging --to prod")
    .action(async (options: { from: string; to: string; json?: boolean }) => {
      await withEnvironments(options, ctx, async (from, to) => {
        const [a, b] = await Promise.all([from.listSecrets(), to.listSecrets()]);
        const lower = (xs: string[]) => new Map(xs.map((x) => [x.toLowerCase(), x]));
        const left = lower(a);
        const right = lower(b);
        const common = [...left.keys()].filter((k) => right.has(k));
        const [va, vb] = await Promise.all([readAll(from, common.map((k) => left.get(k)!), ctx), readAll(to, common.map((k) => right.get(k)!), ctx)]);
        const rows: { name: string; status: "only-from" | "only-to" | "differs" | "same" }[] = [];
        for (const [k, name] of left) if (!right.has(k)) rows.push({ name, status: "only-from" });
        for (const [k, name] of right) if (!left.has(k)) rows.push({ name, status: "only-to" });
        for (const k of common) {
          const x = va.get(left.get(k)!) ?? null;
          const y = vb.get(right.get(k)!) ?? null;
          const same = x === null || y === null ? x === y : x.equals(y);
          rows.push({ name: left.get(k)!, status: same ? "same" : "differs" });
        }
        rows.sort((p, q) => (p.name < q.name ? -1 : p.name > q.name ? 1 : 0));
        const mark = { "only-from": "-", "only-to": "+", differs: "~", same: "=" } as const;
        writeResult(ctx, { json: Boolean(options.json) }, rows, rows.filter((r) => r.status !== "same").map((r) => `${mark[r.status]} ${r.name}\n`).join(""));
      });
    });

  secrets
    .command("copy")
    .summary("promote secrets from one environment to another")
    .argument("[names...]", "the secrets to copy (default: all)")
    .requiredOption("--from <env>", "source environment")
    .requiredOption("--to <env>", "target environment")
    .option("--overwrite <policy>", "existing secrets in --to: never (default), changed, always")
    .option("--dry-run", "say what would be copied, write nothing")
    .option("-y, --yes", "do not ask for confirmation")
    .option("--json", "machine-readable output")
    .option("--debug", "print stack traces and causes of errors")
    .addHelpText("after", "\nExamples:\n  orbitra secrets copy --from staging --to prod db-password --yes\n  orbitra secrets copy --from dev --to staging --overwrite changed --dry-run")
    .action(async (names: string[], options: { from: string; to: string; overwrite?: string; dryRun?: boolean; yes?: boolean; json?: boolean }) => {
      const policy = overwriteOf(options.overwrite);
      await withEnvironments(options, ctx, async (from, to) => {
        const chosen = names.length ? names : await from.listSecrets();
        if (!options.dryRun && !options.yes) {
          if (!ctx.stdin.isTTY) throw new UsageError("Copying writes to another environment; pass --yes to confirm when not on a terminal.");
          const ok = await confirm(`Copy ${chosen.length} secrets from ${options.from} to ${options.to} (overwrite: ${policy})?`, ctx);
          if (!ok) throw new UsageError("Not confirmed; nothing was copied.");
        }
        const values = await readAll(from, chosen, ctx);
        const entries = new Map<string, SecretStr>();
        for (const name of chosen) entries.set(name, values.get(name) ?? new SecretStr(""));
        const report = await writeEntries(to, entries, policy, Boolean(options.dryRun), ctx, Boolean(options.json));
        if (options.json) writeResult(ctx, { json: true }, { items: report }, "");
      });
    });
}
