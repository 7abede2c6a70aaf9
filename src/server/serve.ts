import { createServer } from "node:https";
import type { Server } from "node:https";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { createAdaptorServer } from "@hono/node-server";
import { ConfigurationError, UnavailableError } from "../core/errors.js";
import { assertValidName } from "../core/rules.js";
import { LocalVault } from "../store/local-vault.js";
import { createVaultApp } from "./app.js";
import type { Authorizer } from "./auth.js";
import type { FaultOptions } from "./faults.js";
import { defaultSans, ensureTlsMaterial } from "./tls.js";

export interface VaultServerOptions {
  /** Folder for the vault files, the vault key and the TLS material. */
  dataDir: string;
  host?: string;
  /** First vault's port; each further vault takes the next one. 0 picks free ports. */
  port?: number;
  /** Vault names; each is `<dataDir>/<name>.db` on its own port. Default: one vault, `default`. */
  vaults?: string[];
  sans?: string[];
  faults?: FaultOptions;
  accessLog?: (line: string) => void;
  authorize?: Authorizer;
  permit?: Parameters<typeof createVaultApp>[0]["permit"];
  /** True when tokens are validated: only then may the server bind beyond loopback. */
  validatesTokens?: boolean;
  recoverableDays?: number;
  env?: NodeJS.ProcessEnv;
}

export interface RunningVaultServer {
  vaults: { name: string; url: string; port: number }[];
  caFile: string;
  /** PEM of the CA, for clients in the same process. */
  ca: string;
  /** Stops accepting, lets in-flight requests finish, closes the stores. */
  close(): Promise<void>;
}

const LOOPBACK = /^(127(\.\d{1,3}){3}|::1|localhost)$/i;

export async function startVaultServer(options: VaultServerOptions): Promise<RunningVaultServer> {
  const host = options.host ?? "127.0.0.1";
  if (!LOOPBACK.test(host) && !options.validatesTokens) {
    throw new ConfigurationError(
      `Refusing to listen on ${host}: this server accepts any bearer token (open mode), which is safe on loopback only. Bind 127.0.0.1.`,
    );
  }
  const names = options.vaults?.length ? options.vaults : ["default"];
  for (const name of names) assertValidName(name, "vault");
  if (new Set(names.map((n) => n.toLowerCase())).size !== names.length) {
    throw new ConfigurationError("Each --vault name may appear once.");
  }
  const tls = await ensureTlsMaterial(options.dataDir, defaultSans([...(options.sans ?? []), ...(LOOPBACK.test(host) ? [] : [host])]));
  const started: { name: string; url: string; port: number; server: Server; vault: LocalVault }[] = [];
  try {
    for (const [index, name] of names.entries()) {
      const vault = LocalVault.open({
        path: join(options.dataDir, `${name.toLowerCase()}.db`),
        ...(options.recoverableDays ? { recoverableDays: options.recoverableDays } : {}),
        ...(options.env ? { env: options.env } : {}),
      });
      const app = createVaultApp({
        vault,
        ...(options.authorize ? { authorize: options.authorize } : {}),
        ...(options.permit ? { permit: options.permit } : {}),
        ...(options.faults ? { faults: options.faults } : {}),
        ...(options.accessLog ? { accessLog: options.accessLog } : {}),
      });
      const server = createAdaptorServer({
        fetch: app.fetch,
        createServer,
        serverOptions: { key: tls.key, cert: tls.cert },
      }) as Server;
      const wanted = options.port === undefined ? 8443 + index : options.port === 0 ? 0 : options.port + index;
      let port: number;
      try {
        port = await listen(server, wanted, host);
      } catch (error) {
        vault.close();
        throw error;
      }
      const shownHost = host.includes(":") ? `[${host}]` : host;
      started.push({ name, url: `https://${shownHost}:${port}`, port, server, vault });
    }
  } catch (error) {
    await Promise.all(started.map((s) => stop(s.server, s.vault)));
    throw error;
  }
  let closing: Promise<void> | undefined;
  return {
    vaults: started.map(({ name, url, port }) => ({ name, url, port })),
    caFile: tls.caFile,
    ca: tls.ca,
    close() {
      closing ??= Promise.all(started.map((s) => stop(s.server, s.vault))).then(() => undefined);
      return closing;
    },
  };
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off("listening", onListening);
      if (error.code === "EADDRINUSE") {
        reject(new UnavailableError(`Port ${port} on ${host} is already in use. Stop the other server or pick another --port.`));
      } else if (error.code === "EACCES") {
        reject(new UnavailableError(`No permission to listen on ${host}:${port}. Use a port above 1023.`));
      } else {
        reject(new UnavailableError(`Cannot listen on ${host}:${port}: ${error.message}.`));
      }
    };
    const onListening = () => {
      server.off("error", onError);
      resolve((server.address() as AddressInfo).port);
    };
    server.once("error", onError);
    server.once("listening", onListening);
    server.listen(port, host);
  });
}

function stop(server: Server, vault: LocalVault): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => {
      vault.close();
      resolve();
    });
    // Idle keep-alive sockets would hold close() open; busy ones finish their request first.
    server.closeIdleConnections();
  });
}
