// Preloaded into every test process (`npm test` passes --import): any TCP connection or DNS lookup
// aimed beyond loopback fails loudly, and the test process then exits non-zero even if the caller
// swallowed the error (an SDK's retry policy would). Every connection in Node goes through
// net.Socket.prototype.connect, which sees the host before any DNS lookup. Child processes that are
// not Node (Python, az) are kept on loopback by .ci/run's network namespace and by the proxy's 403.
import dns from "node:dns";
import net from "node:net";

const LOOPBACK_NAME = /^(?:localhost|[a-z0-9-]+\.localhost)\.?$/i;

function isLoopbackTarget(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, "");
  if (net.isIPv4(bare)) return bare.startsWith("127.");
  if (net.isIPv6(bare)) return bare === "::1" || /^::ffff:127\./i.test(bare);
  return LOOPBACK_NAME.test(bare);
}

function refuse(what: string): never {
  const message = `loopback guard: ${what} leaves loopback; tests may only reach 127.0.0.1, ::1 and localhost.`;
  process.stderr.write(`${message}\n`);
  process.exitCode = 1;
  throw new Error(message);
}

const connect = net.Socket.prototype.connect as (...args: unknown[]) => net.Socket;
net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: unknown[]) {
  const first = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
  const options = typeof first === "object" && first !== null ? (first as { host?: string; path?: string; port?: unknown }) : undefined;
  const isPipe = options ? options.path !== undefined && options.port === undefined : typeof first === "string" && Number.isNaN(Number(first));
  if (!isPipe) {
    const host = options ? (options.host ?? "localhost") : typeof args[1] === "string" ? args[1] : "localhost";
    if (!isLoopbackTarget(host)) refuse(`a connection to ${host}`);
  }
  return connect.apply(this, args);
} as typeof net.Socket.prototype.connect;

const lookup = dns.lookup as (...args: unknown[]) => void;
dns.lookup = function guardedLookup(hostname: unknown, ...rest: unknown[]) {
  if (typeof hostname === "string" && !isLoopbackTarget(hostname)) refuse(`a DNS lookup of ${hostname}`);
  return lookup(hostname, ...rest);
} as typeof dns.lookup;
const lookupPromise = dns.promises.lookup;
dns.promises.lookup = function guardedLookupPromise(hostname: string, ...rest: never[]) {
  if (!isLoopbackTarget(hostname)) refuse(`a DNS lookup of ${hostname}`);
  return (lookupPromise as (...a: unknown[]) => ReturnType<typeof lookupPromise>)(hostname, ...rest);
} as typeof dns.promises.lookup;
