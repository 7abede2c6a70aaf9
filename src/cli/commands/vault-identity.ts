import type { Command } from "commander";
import { join } from "node:path";
import { orbitraHome } from "../../settings/paths.js";
import type { CliContext } from "../context.js";
import { toJsonLine } from "../output.js";
import { UsageError } from "../usage-error.js";

interface DataOption {
  data?: string;
  json?: boolean;
}

function dataDir(ctx: CliContext, options: DataOption): string {
  return options.data ?? join(orbitraHome(ctx.env), "server");
}

/** The identity store of a server's data folder; loaded lazily so `secrets` commands never pay for it. */
async function withIdentities<T>(ctx: CliContext, options: DataOption, use: (store: import("../../server/identity/identity-store.js").IdentityStore) => T): Promise<T> {
  const { mkdirSync } = await import("node:fs");
  const dir = dataDir(ctx, options);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const { IdentityStore } = await import("../../server/identity/identity-store.js");
  const store = IdentityStore.open(dir);
  try {
    return use(store);
  } finally {
    store.close();
  }
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

const DATA_HELP = "the server's data folder (default: $ORBITRA_HOME/server)";

/**
 * `orbitra vault principal ...` and `orbitra vault role ...`: the identities and role assignments a
 * strict server (`orbitra vault serve --auth strict`) checks. They edit `<data>/identity.db`
 * directly, so a running server sees changes at its next request.
 */
export function registerVaultIdentityCommands(vault: Command, ctx: CliContext): void {
  const principal = vault
    .command("principal")
    .summary("service principals and users of a strict local server")
    .description("Identities of a strict local server (orbitra vault serve --auth strict), kept in <data>/identity.db.");
  principal
    .command("add <name>")
    .summary("add a principal; prints a service principal's client id and its secret, once")
    .option("--kind <kind>", "service-principal or user", "service-principal")
    .option("--data <dir>", DATA_HELP)
    .option("--json", "print {id, name, kind, tenantId, clientSecret?} as JSON")
    .action(async (name: string, options: DataOption & { kind: string }) => {
      if (options.kind !== "service-principal" && options.kind !== "user") throw new UsageError("--kind must be service-principal or user.");
      const kind = options.kind;
      const { SERVER_TENANT } = await import("../../server/identity/token-service.js");
      const added = await withIdentities(ctx, options, (store) => store.addPrincipal(name, kind));
      const { principal: p, secret } = added;
      if (options.json) {
        ctx.stdout.write(toJsonLine({ id: p.id, name: p.name, kind: p.kind, tenantId: SERVER_TENANT, ...(secret ? { clientSecret: secret } : {}) }));
        return;
      }
      // The secret goes to stdout alone, so `orbitra vault principal add app > secret.txt` captures
      // just it; the id and the warning go to stderr. It is never shown again: only a hash is kept.
      ctx.stderr.write(`Added ${p.kind} '${p.name}'.\nClient id: ${p.id}\nTenant:    ${SERVER_TENANT}\n`);
      if (secret) {
        ctx.stderr.write("Client secret (shown once, not stored; on stdout):\n");
        ctx.stdout.write(`${secret}\n`);
      }
    });
  principal
    .command("list")
    .summary("list principals (never a secret)")
    .option("--data <dir>", DATA_HELP)
    .option("--json", "JSON array")
    .action(async (options: DataOption) => {
      const list = await withIdentities(ctx, options, (store) => store.listPrincipals());
      if (options.json) ctx.stdout.write(toJsonLine(list));
      else for (const p of list) ctx.stdout.write(`${p.id}  ${p.kind.padEnd(17)}  ${p.name}\n`);
    });
  principal
    .command("remove <id-or-name>")
    .summary("remove a principal and its role assignments")
    .option("--data <dir>", DATA_HELP)
    .action(async (idOrName: string, options: DataOption) => {
      const removed = await withIdentities(ctx, options, (store) => store.removePrincipal(idOrName));
      ctx.stderr.write(`Removed ${removed.kind} '${removed.name}' (${removed.id}).\n`);
    });

  const device = vault
    .command("device")
    .summary("approve or deny users' 'orbitra login' device-code sign-ins")
    .description("Pending device-code sign-ins of a strict local server. 'orbitra login' prints a code; approving it signs that login in as a user principal.");
  device
    .command("list")
    .summary("list pending sign-ins (code, client, resource, expiry)")
    .option("--data <dir>", DATA_HELP)
    .option("--json", "JSON array")
    .action(async (options: DataOption) => {
      const list = await withIdentities(ctx, options, (store) => store.deviceCodes.listPending(nowSeconds()));
      if (options.json) ctx.stdout.write(toJsonLine(list));
      else if (list.length === 0) ctx.stderr.write("No pending sign-ins.\n");
      else for (const d of list) ctx.stdout.write(`${d.userCode}  ${d.clientId}  ${d.scope}  expires ${new Date(d.expiresAt * 1000).toISOString()}\n`);
    });
  device
    .command("approve <code>")
    .summary("sign a pending login in as a user")
    .requiredOption("--user <id-or-name>", "the user principal the login becomes (orbitra vault principal add NAME --kind user)")
    .option("--data <dir>", DATA_HELP)
    .action(async (code: string, options: DataOption & { user: string }) => {
      const user = await withIdentities(ctx, options, (store) => {
        const principal = store.resolveUser(options.user);
        store.deviceCodes.decide(code, { approveAs: principal.id }, nowSeconds());
        return principal;
      });
      ctx.stderr.write(`Approved: the login with code ${code} is signed in as '${user.name}' (${user.id}).\n`);
    });
  device
    .command("deny <code>")
    .summary("refuse a pending login")
    .option("--data <dir>", DATA_HELP)
    .action(async (code: string, options: DataOption) => {
      await withIdentities(ctx, options, (store) => store.deviceCodes.decide(code, { deny: true }, nowSeconds()));
      ctx.stderr.write(`Denied the login with code ${code}.\n`);
    });

  const role = vault
    .command("role")
    .summary("role assignments of a strict local server")
    .description("Built-in Key Vault data-plane roles assigned to principals, at the scope of one vault or all vaults of the server.");
  role
    .command("assign")
    .summary("assign a built-in role to a principal")
    .requiredOption("--principal <id-or-name>", "the principal")
    .requiredOption("--role <role>", 'a built-in role name or GUID, e.g. "Key Vault Secrets User"')
    .option("--vault <name>", "only this vault of the server (default: every vault)")
    .option("--data <dir>", DATA_HELP)
    .action(async (options: DataOption & { principal: string; role: string; vault?: string }) => {
      const a = await withIdentities(ctx, options, (store) => store.assignRole(options.principal, options.role, options.vault));
      ctx.stderr.write(`Assigned '${a.roleName}' to ${a.principalId} at scope ${a.scope} (assignment ${a.id}).\n`);
    });
  role
    .command("list")
    .summary("list role assignments, or the built-in roles with --available")
    .option("--principal <id-or-name>", "only this principal's assignments")
    .option("--available", "list the built-in roles and their data actions instead")
    .option("--data <dir>", DATA_HELP)
    .option("--json", "JSON array")
    .action(async (options: DataOption & { principal?: string; available?: boolean }) => {
      if (options.available) {
        const { BUILT_IN_ROLES } = await import("../../server/identity/roles.js");
        if (options.json) ctx.stdout.write(toJsonLine(BUILT_IN_ROLES));
        else for (const r of BUILT_IN_ROLES) ctx.stdout.write(`${r.name} (${r.id})\n${r.dataActions.map((a) => `  ${a}\n`).join("") || "  (no data actions)\n"}`);
        return;
      }
      const list = await withIdentities(ctx, options, (store) =>
        store.listAssignments(options.principal ? store.resolvePrincipal(options.principal).id : undefined),
      );
      if (options.json) ctx.stdout.write(toJsonLine(list));
      else for (const a of list) ctx.stdout.write(`${a.id}  ${a.principalId}  ${a.roleName}  ${a.scope}\n`);
    });
  role
    .command("remove")
    .summary("remove role assignments: by --id, or by --principal (and --role)")
    .option("--id <assignment-id>", "one assignment")
    .option("--principal <id-or-name>", "the principal's assignments")
    .option("--role <role>", "with --principal: only this role")
    .option("--data <dir>", DATA_HELP)
    .action(async (options: DataOption & { id?: string; principal?: string; role?: string }) => {
      if (!options.id && !options.principal) throw new UsageError("Give --id, or --principal (and optionally --role).");
      const n = await withIdentities(ctx, options, (store) =>
        store.removeAssignments({
          ...(options.id ? { id: options.id } : {}),
          ...(options.principal ? { principal: options.principal } : {}),
          ...(options.role ? { role: options.role } : {}),
        }),
      );
      ctx.stderr.write(`Removed ${n} role assignment(s).\n`);
    });
}
