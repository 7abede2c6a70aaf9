import type { Command } from "commander";
import { existsSync } from "node:fs";
import { isOrbitraError } from "../../core/errors.js";
import { loadSettings } from "../../settings/load.js";
import { availableEnvironments, resolveDefaultEnvironment, resolveVaultTarget } from "../../settings/resolve.js";
import { describeTarget } from "../../settings/vault-target.js";
import type { CliContext } from "../context.js";
import { warnAboutSettings } from "../settings-warnings.js";
import { environmentsToText, toJsonLine, type EnvironmentRow } from "../output.js";
import { UsageError } from "../usage-error.js";

/** `orbitra env list`: the environments the settings know, which one is the default, and each one's vault. */
export function registerEnvCommands(program: Command, ctx: CliContext): void {
  const env = program.command("env").summary("environments and the vault each one uses");
  env
    .command("list")
    .summary("list environments, marking the default (the one used without -e)")
    .option("--json", "machine-readable output on stdout")
    .option("--debug", "print stack traces and causes of errors")
    .addHelpText("after", "\nExamples:\n  orbitra env list\n  ORBITRA_ENVIRONMENT=staging orbitra env list --json")
    .action(async (options: { json?: boolean }) => {
      const load = { cwd: ctx.cwd, env: ctx.env };
      const settings = loadSettings(load);
      warnAboutSettings(settings, ctx);
      const byDefault = resolveDefaultEnvironment(load, settings);
      // The default is listed even when nothing configures it, so that `ORBITRA_ENVIRONMENT=typo` shows up.
      const names = [...new Set([...availableEnvironments(settings), byDefault])].sort();
      const rows: EnvironmentRow[] = names.map((name) => {
        try {
          const vault = describeTarget(resolveVaultTarget({ ...load, environment: name, settings }));
          return { name, default: name === byDefault, vault };
        } catch (error) {
          // A half-configured environment is still listed; why it cannot be used is the point.
          if (!isOrbitraError(error)) throw error;
          return { name, default: name === byDefault, problem: error.message };
        }
      });
      ctx.stdout.write(options.json ? toJsonLine(rows) : environmentsToText(rows));
      const { orgCacheFile, orgSettingsSpec } = await import("../../settings/org-source.js");
      const org = orgSettingsSpec(ctx.env);
      if (org && /^https:/i.test(org) && !existsSync(orgCacheFile(ctx.env))) {
        ctx.stderr.write(`Organisation settings ${org} are not downloaded yet: run 'orbitra env sync'.\n`);
      }
    });
  env
    .command("sync")
    .summary("download the organisation settings named by an https:// ORBITRA_ORG_SETTINGS or org_settings")
    .option("--json", "machine-readable output on stdout")
    .option("--debug", "print stack traces and causes of errors")
    .addHelpText(
      "after",
      "\nThe organisation settings are the lowest-priority settings source (in the shape\n" +
        "of orbitra.toml). When they are an https:// URL, commands read the copy this\n" +
        "command keeps in $ORBITRA_HOME/cache, never the network.\n\n" +
        "Examples:\n  ORBITRA_ORG_SETTINGS=https://example.com/orbitra.toml orbitra env sync\n  orbitra env sync --json",
    )
    .action(async (options: { json?: boolean }) => {
      const { orgSettingsSpec, syncOrgSettings } = await import("../../settings/org-source.js");
      const org = orgSettingsSpec(ctx.env);
      if (!org) throw new UsageError("No organisation settings are configured: set ORBITRA_ORG_SETTINGS, or org_settings in $ORBITRA_HOME/settings.toml.");
      if (!/^https:\/\//i.test(org)) {
        ctx.stderr.write(`The organisation settings are ${org}: read in place, nothing to download.\n`);
        return;
      }
      const synced = await syncOrgSettings(org, ctx.env);
      if (options.json) ctx.stdout.write(toJsonLine(synced));
      else ctx.stderr.write(`Downloaded ${org} to ${synced.file}: environments ${synced.environments.join(", ") || "(none)"}.\n`);
    });
}
