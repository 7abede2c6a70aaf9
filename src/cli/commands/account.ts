import type { Command } from "commander";
import { AuthenticationError, isOrbitraError } from "../../core/errors.js";
import { resolveDefaultEnvironment, resolveVaultTarget } from "../../settings/resolve.js";
import type { CliContext } from "../context.js";
import { toJsonLine } from "../output.js";
import { withVaultOptions } from "../command-builder.js";
import { environmentOf, type VaultOptions } from "../object-command.js";

/** What a token says about who it is for, read from its payload (not verified: display only). */
function tokenIdentity(token: string): Record<string, unknown> {
  const payload = token.split(".")[1];
  if (!payload) return {};
  try {
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>;
    const pick: Record<string, unknown> = {};
    for (const key of ["oid", "appid", "upn", "unique_name", "name", "tid", "idtyp"]) if (claims[key] !== undefined) pick[key] = claims[key];
    return pick;
  } catch {
    return {};
  }
}

async function chosen(ctx: CliContext, options: VaultOptions) {
  const environment = environmentOf(options) ?? resolveDefaultEnvironment({ cwd: ctx.cwd, env: ctx.env });
  const target = resolveVaultTarget({ environment, cwd: ctx.cwd, env: ctx.env, ...(options.keyVault ? { keyVault: options.keyVault } : {}) });
  if (target.kind === "local") return { environment, target, choice: undefined, scope: undefined };
  const { credentialFor } = await import("../../auth/credential-for.js");
  const { vaultScope } = await import("../../auth/user-login.js");
  return { environment, target, choice: await credentialFor(target, ctx.env), scope: vaultScope(target) };
}

async function token(choice: NonNullable<Awaited<ReturnType<typeof chosen>>["choice"]>, scope: string) {
  try {
    const t = await choice.credential.getToken(scope);
    if (!t) throw new AuthenticationError(`The ${choice.source} credential could not get a token for ${scope}: it returned none.`);
    return t;
  } catch (error) {
    if (isOrbitraError(error)) throw error;
    throw new AuthenticationError(`The ${choice.source} credential could not get a token for ${scope}: ${(error as Error).message}`, { cause: error });
  }
}

/** `orbitra account show|list|get-token`: which link of the credential chain applies, the saved logins, and a token. */
export function registerAccountCommands(program: Command, ctx: CliContext): void {
  const account = program.command("account").summary("the identity orbitra uses for an environment");
  withVaultOptions(
    account
      .command("show")
      .summary("credential kind, identity, tenant and token expiry for an environment (never the token)"),
  ).action(async (options: VaultOptions) => {
    const { environment, target, choice, scope } = await chosen(ctx, options);
    if (!choice) {
      const info = { environment, vault: target.kind === "local" ? `local:${target.path}` : "", credential: "none (embedded store: no identity needed)" };
      ctx.stdout.write(options.json ? toJsonLine(info) : `Environment: ${environment}\nVault:       ${info.vault}\nCredential:  ${info.credential}\n`);
      return;
    }
    const t = await token(choice, scope!);
    const info = {
      environment,
      vault: "vaultUrl" in target ? target.vaultUrl : "",
      credential: choice.source,
      ...(choice.tenantId ? { tenantId: choice.tenantId } : {}),
      ...(choice.clientId ? { clientId: choice.clientId } : {}),
      ...(choice.username ? { username: choice.username } : {}),
      identity: tokenIdentity(t.token),
      expiresOn: new Date(t.expiresOnTimestamp).toISOString(),
    };
    if (options.json) {
      ctx.stdout.write(toJsonLine(info));
      return;
    }
    const who = Object.entries(info.identity)
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(" ");
    ctx.stdout.write(
      `Environment: ${environment}\nVault:       ${info.vault}\nCredential:  ${info.credential}\n` +
        (info.tenantId ? `Tenant:      ${info.tenantId}\n` : "") +
        (info.clientId ? `Client id:   ${info.clientId}\n` : "") +
        (info.username ? `User:        ${info.username}\n` : "") +
        `Identity:    ${who || "(opaque token)"}\nExpires:     ${info.expiresOn}\n`,
    );
  });
  account
    .command("list")
    .summary("list the saved logins of 'orbitra login': environment, user, tenant, vault (never a token)")
    .option("--json", "JSON array")
    .addHelpText("after", "\nExamples:\n  orbitra account list\n  orbitra account list --json")
    .action(async (options: { json?: boolean }) => {
      const { savedLogins } = await import("../../auth/login-files.js");
      const rows = savedLogins(ctx.env).map(({ environment, username, tenantId, flow, vaultUrl, savedAt }) => ({ environment, username, tenantId, flow, vault: vaultUrl, savedAt }));
      if (options.json) ctx.stdout.write(toJsonLine(rows));
      else if (rows.length === 0) ctx.stderr.write("No saved logins. Sign in with: orbitra login --env ENV\n");
      else for (const r of rows) ctx.stdout.write(`${r.environment}  ${r.username}  tenant ${r.tenantId}  ${r.flow}  ${r.vault}  since ${r.savedAt}\n`);
    });
  withVaultOptions(
    account
      .command("get-token")
      .summary("print an access token for a scope, and nothing else")
      .requiredOption("--scope <scope>", "e.g. https://vault.azure.net/.default"),
  ).action(async (options: VaultOptions & { scope: string }) => {
    const { choice } = await chosen(ctx, options);
    if (!choice) throw new AuthenticationError("The environment uses the embedded local store: there is no token to get.");
    // The one command that prints a token, on purpose: for curl and scripts.
    ctx.stdout.write(`${(await token(choice, options.scope)).token}\n`);
  });
}
