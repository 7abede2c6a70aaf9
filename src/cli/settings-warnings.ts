import type { OrbitraSettings } from "../settings/model.js";
import type { CliContext } from "./context.js";

const said = new WeakMap<CliContext, Set<string>>();

/** Prints what the settings files said that orbitra ignores, each line once per run. */
export function warnAboutSettings(settings: OrbitraSettings, ctx: CliContext): void {
  const seen = said.get(ctx) ?? new Set<string>();
  said.set(ctx, seen);
  for (const warning of settings.warnings ?? []) {
    if (seen.has(warning)) continue;
    seen.add(warning);
    ctx.stderr.write(`orbitra: warning: ${warning}\n`);
  }
}
