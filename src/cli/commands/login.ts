import { rmSync } from "node:fs";
import type { Command } from "commander";
import { AuthenticationError } from "../../core/errors.js";
import { loadSettings } from "../../settings/load.js";
import { resolveDefaultEnvironment, resolveVaultTarget } from "../../settings/resolve.js";
import type { LoginFlow, SavedLogin } from "../../auth/login-files.js";
import type { DeviceCodePrompt, RemoteTarget } from "../../auth/user-login.js";
import type { CliContext } from "../context.js";
import { toJsonLine } from "../output.js";
import { withVaultOptions } from "../command-builder.js";
import { environmentOf, type VaultOptions } from "../object-command.js";
import { UsageError } from "../usage-error.js";
import { awaitPendingSignIn, clearPendingSignIn, readPendingSignIn, waitForPrompt, writePendingSignIn } from "./login-pending.js";

interface LoginOptions extends VaultOptions {
  useDeviceCode?: boolean;
  useInteractiveBrowser?: boolean;
  startDeviceCode?: boolean;
  completeDeviceCode?: boolean;
  deviceCodeWorker?: boolean;
  timeout?: string;
}

const EXAMPLES = `
Examples:
  orbitra login --env prod            # in a browser (a device code without one)
  orbitra login --env prod --use-device-code   # a code to enter at a URL
  orbitra login --env dev --start-device-code  # print the code, return at once
  orbitra login --env dev --complete-device-code   # later: wait for approval
  orbitra logout --env prod           # forget it ('orbitra logout': all)

Against a strict local server (orbitra vault serve --auth strict), the code is
approved with 'orbitra vault device approve CODE --user NAME', or at once when
the server runs with --auto-approve NAME (development only).

The login (an authentication record and a token cache, 0600) is kept under
$ORBITRA_HOME/login and reused silently by every command and by the library
until it expires or 'orbitra logout'.`;

/** `orbitra login` and `orbitra logout`. */
export function registerLoginCommands(program: Command, ctx: CliContext): void {
  const login = withVaultOptions(
    program
      .command("login")
      .summary("sign in as yourself for an environment; reused silently afterwards")
      .description("Signs you in for an environment's vault (Azure: Entra ID; a strict local server: its own identity provider) and keeps the login for later runs.")
      .option("--use-device-code", "sign in with a code entered on another device (no browser needed)")
      .option("--use-interactive-browser", "sign in in a browser opened on this machine")
      .option("--start-device-code", "print a device code and its URL, then return at once; finish with --complete-device-code")
      .option("--complete-device-code", "wait for the device code printed by --start-device-code to be approved, and save the login")
      .option("--timeout <seconds>", "give up waiting for the sign-in after this long (default: until the code expires, 15 minutes)"),
  )
    .addOption(program.createOption("--device-code-worker", "internal: the background half of --start-device-code").hideHelp())
    .addHelpText("after", EXAMPLES);
  login.action(async (options: LoginOptions) => {
    const { target } = await remoteTarget(ctx, options);
    if (!target) return;
    const flows = [options.useDeviceCode, options.useInteractiveBrowser, options.startDeviceCode, options.completeDeviceCode, options.deviceCodeWorker].filter(Boolean);
    if (flows.length > 1) throw new UsageError("Give at most one of --use-device-code, --use-interactive-browser, --start-device-code, --complete-device-code.");
    const signal = timeoutSignal(options.timeout);
    if (options.deviceCodeWorker) return deviceCodeWorker(ctx, target);
    if (options.startDeviceCode) return startDeviceCode(ctx, target, options);
    if (options.completeDeviceCode) return report(ctx, options, await awaitPendingSignIn(ctx.env, target.environment, signal), target);
    const { signIn } = await import("../../auth/user-login.js");
    const flow: LoginFlow = options.useDeviceCode ? "device-code" : options.useInteractiveBrowser ? "interactive-browser" : await defaultFlow(ctx.env);
    if (flow === "interactive-browser") ctx.stderr.write("Opening a browser to sign in; if none opens, run again with --use-device-code.\n");
    const saved = await signIn({
      target,
      flow,
      env: ctx.env,
      onDeviceCode: (prompt) => ctx.stderr.write(`${prompt.message}\n`),
      ...(signal ? { abortSignal: signal } : {}),
    });
    await report(ctx, options, saved, target);
  });

  withVaultOptions(
    program
      .command("logout")
      .summary("forget the login of an environment, or of every environment")
      .description("Deletes the saved login (authentication record and cached tokens) of the environment given, or of every environment when none is given. With no environment it also drops orbitra's copy of Azure CLI tokens; the Azure CLI's own login and other credentials are not touched."),
  )
    .addHelpText("after", "\nExamples:\n  orbitra logout --env prod      # forget prod's login\n  orbitra logout                 # forget every saved login")
    .action(async (options: VaultOptions) => {
    const { azureCliTokenFile, forgetLogin, savedLogins } = await import("../../auth/login-files.js");
    const environment = environmentOf(options);
    const environments = environment !== undefined ? [environment] : savedLogins(ctx.env).map((s) => s.environment);
    await revokeOnServers(ctx, environments);
    const forgotten = environments.filter((e) => forgetLogin(ctx.env, e));
    // The copy of the Azure CLI's tokens belongs to no environment: a full logout drops it too.
    if (environment === undefined) rmSync(azureCliTokenFile(ctx.env), { force: true });
    if (options.json) ctx.stdout.write(toJsonLine({ loggedOut: forgotten }));
    else if (forgotten.length === 0) ctx.stderr.write(environment !== undefined ? `Not logged in for environment '${environment}'.\n` : "No saved logins.\n");
    else ctx.stderr.write(`Logged out of ${forgotten.map((e) => `'${e}'`).join(", ")}.\n`);
  });
}

/** Before a local server's login is forgotten, the server is told to refuse its refresh tokens (auth/revoke-login.ts). */
async function revokeOnServers(ctx: CliContext, environments: string[]): Promise<void> {
  const { readSavedLogin } = await import("../../auth/login-files.js");
  const logins = environments.map((e) => readSavedLogin(ctx.env, e)).filter((s): s is SavedLogin => s?.targetKind === "server");
  if (logins.length === 0) return;
  const { revokeServerLogin } = await import("../../auth/revoke-login.js");
  const { readCaFile } = await import("../../auth/user-login.js");
  for (const saved of logins) {
    let ca: Buffer | undefined;
    try {
      const target = resolveVaultTarget({ environment: saved.environment, cwd: ctx.cwd, env: ctx.env, settings: loadSettings({ cwd: ctx.cwd, env: ctx.env }) });
      if (target.kind === "server" && target.caFile) ca = readCaFile(target.caFile);
    } catch {
      // Settings that no longer name the server: it is tried without its CA, and the login forgotten all the same.
    }
    if (!(await revokeServerLogin(ctx.env, saved, ca))) {
      ctx.stderr.write(`Note: could not reach ${saved.vaultUrl} to revoke the login of '${saved.environment}'; it is forgotten here, and its refresh token lapses in 90 days.
`);
    }
  }
}

async function remoteTarget(ctx: CliContext, options: VaultOptions): Promise<{ target?: RemoteTarget }> {
  const settings = loadSettings({ cwd: ctx.cwd, env: ctx.env });
  const environment = environmentOf(options) ?? resolveDefaultEnvironment({}, settings);
  const target = resolveVaultTarget({ environment, cwd: ctx.cwd, env: ctx.env, settings, ...(options.keyVault ? { keyVault: options.keyVault } : {}) });
  if (target.kind === "local") {
    ctx.stderr.write(`Environment '${environment}' uses the embedded local store (${target.path}): there is nothing to sign in to.\n`);
    return {};
  }
  return { target };
}

async function defaultFlow(env: NodeJS.ProcessEnv): Promise<LoginFlow> {
  const { browserAvailable, interactiveLoginDisabled } = await import("../../auth/credential-source.js");
  return interactiveLoginDisabled(env) || !browserAvailable(env) ? "device-code" : "interactive-browser";
}

function timeoutSignal(text: string | undefined): AbortSignal | undefined {
  if (text === undefined) return undefined;
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 3600) throw new UsageError(`--timeout must be a number of seconds from 1 to 3600, not '${text.slice(0, 20)}'.`);
  return AbortSignal.timeout(seconds * 1000);
}

async function report(ctx: CliContext, options: VaultOptions, saved: SavedLogin, target: RemoteTarget): Promise<void> {
  // A login nobody will use is worth a word: an earlier link of the chain wins over it.
  const { selectCredentialSource } = await import("../../auth/credential-source.js");
  const winner = selectCredentialSource({ targetKind: target.kind, env: ctx.env, azureCliInstalled: false, savedLogin: true });
  if (winner !== "user-login") {
    ctx.stderr.write(`Note: commands for '${saved.environment}' will use the ${winner} credential, which comes before your login in the chain (see 'orbitra account show').\n`);
  }
  if (options.json) {
    ctx.stdout.write(toJsonLine({ environment: saved.environment, username: saved.username, tenantId: saved.tenantId, flow: saved.flow, vault: saved.vaultUrl }));
    return;
  }
  ctx.stderr.write(`Signed in as '${saved.username}' (tenant ${saved.tenantId}) for environment '${saved.environment}'.\n`);
}

/**
 * `--start-device-code`: the device-code flow is one call that polls until approval, so it runs in
 * a detached copy of this CLI (the worker) that outlives this command; the worker hands the code
 * back through a 0600 file and later records the outcome there for `--complete-device-code`.
 * The device code itself never leaves the worker's memory.
 */
async function startDeviceCode(ctx: CliContext, target: RemoteTarget, options: VaultOptions): Promise<void> {
  clearPendingSignIn(ctx.env, target.environment);
  const args = [...process.execArgv, process.argv[1]!, "login", "--env", target.environment, "--device-code-worker"];
  if (options.keyVault) args.push("--key-vault", options.keyVault);
  const worker = process.getBuiltinModule("node:child_process").spawn(process.execPath, args, { cwd: ctx.cwd, env: ctx.env, detached: true, stdio: "ignore" });
  worker.unref();
  const prompt = await waitForPrompt(ctx.env, target.environment, worker.pid ?? 0);
  if (options.json) {
    ctx.stdout.write(toJsonLine({ environment: target.environment, userCode: prompt.userCode, verificationUri: prompt.verificationUri, message: prompt.message, expiresOn: prompt.expiresOn }));
    return;
  }
  ctx.stderr.write(`${prompt.message}\nThen run: orbitra login --env ${target.environment} --complete-device-code\n`);
}

async function deviceCodeWorker(ctx: CliContext, target: RemoteTarget): Promise<void> {
  const { signIn } = await import("../../auth/user-login.js");
  const started = Date.now();
  try {
    const saved = await signIn({
      target,
      flow: "device-code",
      env: ctx.env,
      onDeviceCode: (prompt: DeviceCodePrompt) =>
        writePendingSignIn(ctx.env, target.environment, {
          state: "prompt",
          pid: process.pid,
          userCode: prompt.userCode,
          verificationUri: prompt.verificationUri,
          message: prompt.message,
          expiresOn: new Date(started + prompt.expiresIn * 1000).toISOString(),
        }),
    });
    const before = readPendingSignIn(ctx.env, target.environment);
    writePendingSignIn(ctx.env, target.environment, { ...before, state: "done", pid: process.pid, username: saved.username });
  } catch (error) {
    const before = readPendingSignIn(ctx.env, target.environment);
    const message = error instanceof AuthenticationError ? error.message : `Sign-in failed: ${(error as Error).message.split("\n")[0]}`;
    writePendingSignIn(ctx.env, target.environment, { ...before, state: "failed", pid: process.pid, error: message });
  }
}
