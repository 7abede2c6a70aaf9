import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, describe, it } from "node:test";
import { IdentityStore } from "../../src/server/identity/identity-store.js";
import { startVaultServer } from "../../src/server/serve.js";
import { cli, type CliResult } from "../cli/run.js";
import { rawRequest, startTestServer, type TestServer } from "../helpers/server.js";
import { readSavedLogin } from "../../src/auth/login-files.js";
import { savedRefreshTokens } from "../../src/auth/revoke-login.js";

/** Anything shaped like a JWT (header and payload are base64url JSON objects). */
const JWT = /eyJ[\w-]{8,}\.eyJ[\w-]{8,}/;

function addUsers(dataDir: string, users: Record<string, string[]>): void {
  const identities = IdentityStore.open(dataDir);
  try {
    for (const [name, roles] of Object.entries(users)) {
      const { principal } = identities.addPrincipal(name, "user");
      for (const role of roles) identities.assignRole(principal.id, role, undefined);
    }
  } finally {
    identities.close();
  }
}

/** The CLI as users run it, for the two-step flow whose worker must outlive the command. */
const root = join(import.meta.dirname, "..", "..");
const bundled = join(root, "dist", "bin", "orbitra.cjs");
const command = existsSync(bundled) ? [bundled] : ["--import", "tsx", join(root, "src", "cli", "main.ts")];
const fakeBrowser = join(import.meta.dirname, "..", "helpers", "fake-browser.mjs");

/** Asynchronous: the server runs in this process and must keep answering while the CLI waits. */
function runProcess(env: NodeJS.ProcessEnv, args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [...command, ...args], { env, cwd: env.ORBITRA_HOME!, encoding: "utf8", timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe("orbitra login against a strict local server (device code, end to end)", () => {
  let server: TestServer;
  let dataDir: string;
  const homes: string[] = [];

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "orbitra-login-server-"));
    addUsers(dataDir, { alice: ["Key Vault Secrets Officer"], bob: ["Key Vault Secrets User"], carol: [] });
    // Access tokens of 60 s: MSAL renews within 5 minutes of expiry, so every later command
    // redeems the refresh token, and that grant is exercised too.
    server = await startTestServer({ auth: "strict", dataDir, strict: { lifetimeSeconds: 60 } });
  });
  after(async () => {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
    for (const home of homes) rmSync(home, { recursive: true, force: true });
  });

  const newEnv = (): NodeJS.ProcessEnv => {
    const home = mkdtempSync(join(tmpdir(), "orbitra-login-home-"));
    homes.push(home);
    return { ORBITRA_HOME: home, ORBITRA_KEY_VAULT_DEV: server.url, ORBITRA_CA_FILE_DEV: server.caFile, PATH: process.env.PATH };
  };

  /** What an administrator does: find the pending code with the CLI and approve (or deny) it. */
  async function decide(user: string | undefined): Promise<string> {
    for (let i = 0; i < 200; i++) {
      const listed = await cli(["vault", "device", "list", "--data", dataDir, "--json"], {});
      assert.equal(listed.code, 0, listed.stderr);
      const pending = JSON.parse(listed.stdout) as { userCode: string }[];
      if (pending.length > 0) {
        const code = pending[0]!.userCode;
        const args = user ? ["vault", "device", "approve", code, "--user", user] : ["vault", "device", "deny", code];
        const decided = await cli([...args, "--data", dataDir], {});
        assert.equal(decided.code, 0, decided.stderr);
        return code;
      }
      await sleep(25);
    }
    throw new Error("no sign-in became pending");
  }

  async function loginAs(env: NodeJS.ProcessEnv, user: string): Promise<CliResult> {
    const login = cli(["login", "--env", "dev", "--use-device-code"], env);
    const code = await decide(user);
    const result = await login;
    assert.match(result.stderr, new RegExp(code), "the prompt shows the code to approve");
    return result;
  }

  it("signs in with --use-device-code once approved, and later commands reuse the login silently", async () => {
    const env = newEnv();
    const login = await loginAs(env, "alice");
    assert.equal(login.code, 0, login.stderr);
    assert.match(login.stderr, /Signed in as 'alice'/);

    const loginDir = join(env.ORBITRA_HOME!, "login");
    const files = readdirSync(loginDir);
    assert.ok(files.includes("dev.json"), files.join(","));
    assert.ok(files.some((f) => f.startsWith("dev.tokens.")), files.join(","));
    for (const f of files) assert.equal(statSync(join(loginDir, f)).mode & 0o777, 0o600, f);

    const set = await cli(["secrets", "set", "login-secret", "-e", "dev"], env, { input: "from-alice" });
    assert.equal(set.code, 0, set.stderr);
    const get = await cli(["secrets", "get", "login-secret", "-e", "dev"], env);
    assert.deepEqual([get.code, get.stdout], [0, "from-alice"], get.stderr);

    const show = await cli(["account", "show", "-e", "dev", "--json"], env);
    assert.equal(show.code, 0, show.stderr);
    const info = JSON.parse(show.stdout) as { credential: string; username: string };
    assert.deepEqual([info.credential, info.username], ["user-login", "alice"]);
    for (const result of [login, set, get, show]) {
      assert.doesNotMatch(result.stdout + result.stderr, JWT, "no command but get-token prints a token");
    }
    const list = await cli(["account", "list", "--json"], env);
    assert.equal(list.code, 0, list.stderr);
    const logins = JSON.parse(list.stdout) as { environment: string; username: string; vault: string }[];
    assert.deepEqual(logins.map((l) => [l.environment, l.username, l.vault]), [["dev", "alice", server.url]]);
    assert.doesNotMatch(list.stdout, JWT);
    const token = await cli(["account", "get-token", "--scope", "https://vault.azure.net/.default", "-e", "dev"], env);
    assert.equal(token.code, 0, token.stderr);
    assert.match(token.stdout.trim(), JWT);
  });

  it("a signed-in Secrets User reads but cannot write: exit 4 naming the action", async () => {
    const env = newEnv();
    assert.equal((await loginAs(env, "bob")).code, 0);
    assert.equal((await cli(["secrets", "list", "-e", "dev"], env)).code, 0);
    const write = await cli(["secrets", "set", "bob-secret", "-e", "dev"], env, { input: "nope" });
    assert.equal(write.code, 4, write.stderr);
    assert.match(write.stderr, /secrets\/setSecret\/action/);
  });

  it("a denied sign-in fails with exit 4 and saves nothing", async () => {
    const env = newEnv();
    const login = cli(["login", "--env", "dev", "--use-device-code"], env);
    await decide(undefined);
    const result = await login;
    assert.equal(result.code, 4, result.stderr);
    assert.match(result.stderr, /denied/i);
    assert.equal(existsSync(join(env.ORBITRA_HOME!, "login", "dev.json")), false);
  });

  it("logout forgets the login and revokes its refresh token on the server; the server then refuses the placeholder token and says to log in", async () => {
    const env = newEnv();
    assert.equal((await loginAs(env, "alice")).code, 0);
    const saved = readSavedLogin(env, "dev")!;
    const [refreshToken] = savedRefreshTokens(env, "dev");
    assert.ok(refreshToken, `MSAL's cache holds a refresh token: ${readdirSync(join(env.ORBITRA_HOME!, "login")).join(",")}`);
    const out = await cli(["logout", "--env", "dev"], env);
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stderr, /Logged out of 'dev'/);
    assert.doesNotMatch(out.stderr, /could not reach/);
    const reuse = await rawRequest(server.url, server.ca, {
      method: "POST",
      path: `/${saved.tenantId}/oauth2/v2.0/token`,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: refreshToken, client_id: saved.clientId, scope: "https://vault.azure.net/.default" }).toString(),
    });
    assert.deepEqual([reuse.status, (JSON.parse(reuse.body) as { error: string }).error], [400, "invalid_grant"], "a copy of the token cache is worth nothing after logout");
    assert.deepEqual(readdirSync(join(env.ORBITRA_HOME!, "login")), []);
    const get = await cli(["secrets", "list", "-e", "dev"], env);
    assert.equal(get.code, 4);
    assert.match(get.stderr, /orbitra login/);
    const again = await cli(["logout"], env);
    assert.match(again.stderr, /No saved logins/);
  });

  it("a login whose user was removed stops working with a message to sign in again", async () => {
    const env = newEnv();
    addUsers(dataDir, { dave: ["Key Vault Secrets User"] });
    assert.equal((await loginAs(env, "dave")).code, 0);
    const identities = IdentityStore.open(dataDir);
    identities.removePrincipal("dave");
    identities.close();
    const list = await cli(["secrets", "list", "-e", "dev"], env);
    assert.equal(list.code, 4, list.stderr);
    assert.match(list.stderr, /Run: orbitra login --env dev/);
  });

  it("--start-device-code prints the code and returns; --complete-device-code waits for approval and saves the login", async () => {
    const env = newEnv();
    const run = (args: string[]) => runProcess(env, args);
    const start = await run(["login", "--env", "dev", "--start-device-code", "--json"]);
    assert.equal(start.status, 0, start.stderr);
    const prompt = JSON.parse(start.stdout) as { userCode: string; verificationUri: string; expiresOn: string };
    assert.match(prompt.userCode, /^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    assert.equal(prompt.verificationUri, `${server.url}/devicelogin`);

    const early = await run(["login", "--env", "dev", "--complete-device-code", "--timeout", "1"]);
    assert.equal(early.status, 4, "still pending: a timeout, and the sign-in stays pending");
    assert.match(early.stderr, /run --complete-device-code again/);

    const approved = await cli(["vault", "device", "approve", prompt.userCode.toLowerCase(), "--user", "alice", "--data", dataDir], {});
    assert.equal(approved.code, 0, approved.stderr);
    const complete = await run(["login", "--env", "dev", "--complete-device-code", "--json"]);
    assert.equal(complete.status, 0, complete.stderr);
    assert.equal((JSON.parse(complete.stdout) as { username: string }).username, "alice");
    assert.equal((await cli(["secrets", "list", "-e", "dev"], env)).code, 0);

    const none = await run(["login", "--env", "dev", "--complete-device-code"]);
    assert.equal(none.status, 2, "nothing pending any more: a usage error naming --start-device-code");
    assert.match(none.stderr, /--start-device-code/);
  });

  it("signs in with --use-interactive-browser: the page waits for approval, then hands the code to the CLI's loopback listener", async () => {
    // The official InteractiveBrowserCredential opens the browser with the `open` package, whose
    // xdg-open honours $BROWSER: here a script that follows the pages as a person's browser would.
    const env = { ...newEnv(), BROWSER: fakeBrowser, ORBITRA_TEST_BROWSER_CA: server.caFile };
    const login = runProcess(env, ["login", "--env", "dev", "--use-interactive-browser", "--json"]);
    await decide("alice");
    const result = await login;
    assert.equal(result.status, 0, result.stderr);
    const saved = JSON.parse(result.stdout) as { username: string; flow: string };
    assert.deepEqual([saved.username, saved.flow], ["alice", "interactive-browser"]);
    const list = await cli(["secrets", "list", "-e", "dev"], env);
    assert.equal(list.code, 0, list.stderr);
  });

  it("a login made for one server does not apply to another", async () => {
    const env = newEnv();
    assert.equal((await loginAs(env, "alice")).code, 0);
    const other = await startTestServer({ auth: "strict" });
    try {
      const show = await cli(["account", "show", "-e", "dev", "--json"], { ...env, ORBITRA_KEY_VAULT_DEV: other.url, ORBITRA_CA_FILE_DEV: other.caFile });
      assert.equal((JSON.parse(show.stdout) as { credential: string }).credential, "open-mode");
    } finally {
      await other.close();
    }
  });
});

describe("vault serve --auto-approve (development mode)", () => {
  it("signs every device-code login in as the named user at once", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "orbitra-autoapprove-"));
    const home = mkdtempSync(join(tmpdir(), "orbitra-autoapprove-home-"));
    addUsers(dataDir, { dev: ["Key Vault Secrets Officer"] });
    const server = await startTestServer({ auth: "strict", dataDir, strict: { autoApprove: "dev" } });
    try {
      const env = { ORBITRA_HOME: home, ORBITRA_KEY_VAULT_DEV: server.url, ORBITRA_CA_FILE_DEV: server.caFile };
      const login = await cli(["login", "--env", "dev", "--use-device-code"], env);
      assert.equal(login.code, 0, login.stderr);
      assert.match(login.stderr, /approves every sign-in as 'dev'/);
      assert.equal((await cli(["secrets", "set", "auto", "-e", "dev"], env, { input: "v" })).code, 0);
      const shadowed = await cli(["login", "--env", "dev", "--use-device-code"], { ...env, ORBITRA_APP_CLIENT_ID: "app", ORBITRA_APP_CLIENT_SECRET: "s" });
      assert.equal(shadowed.code, 0, shadowed.stderr);
      assert.match(shadowed.stderr, /will use the app-secret credential/, "a login the chain will not use is pointed out");
    } finally {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(home, { recursive: true, force: true });
    }
  });

  it("is refused off loopback, without strict mode, and for a name that is not a user", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "orbitra-autoapprove-"));
    try {
      await assert.rejects(startVaultServer({ dataDir, host: "0.0.0.0", port: 0, env: {}, auth: "strict", strict: { autoApprove: "x" } }), /loopback/);
      await assert.rejects(startVaultServer({ dataDir, port: 0, env: {}, strict: { autoApprove: "x" } }), /--auth strict/);
      await assert.rejects(startTestServer({ auth: "strict", dataDir, strict: { autoApprove: "nobody" } }), /No principal 'nobody'/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
