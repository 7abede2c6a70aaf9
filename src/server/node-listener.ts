import type { IncomingMessage, ServerResponse } from "node:http";
import { STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";
import { randomUUID } from "node:crypto";
import { clientClosed, errorBody, tooLarge } from "./errors.js";
import type { BodySource } from "./body.js";
import type { VaultHandler, VaultRequest, VaultResponse } from "./handler.js";

/**
 * Connects the handler to node:http(s) directly: no Fetch-API Request/Response per call.
 * `closing()` true means the server is stopping: replies then carry `Connection: close`, so
 * keep-alive sockets end after the request in flight instead of lingering.
 */
export function createNodeListener(handle: VaultHandler, closing: () => boolean): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const exchange = new NodeExchange(req, res, closing);
    const response = handle(exchange);
    if (response instanceof Promise) {
      response.then(
        (r) => exchange.reply(r),
        () => exchange.abort(),
      );
    } else {
      exchange.reply(response);
    }
  };
}

/**
 * One request and its reply, as the handler's {@link VaultRequest} and {@link BodySource}. A class
 * rather than closures: one allocation per request on the hot path.
 */
class NodeExchange implements VaultRequest, BodySource {
  readonly method: string;
  readonly target: string;
  readonly scheme = "https" as const;
  readonly body: BodySource = this;

  constructor(
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
    private readonly closing: () => boolean,
  ) {
    this.method = req.method ?? "GET";
    this.target = req.url ?? "/";
  }

  header(name: string): string | undefined {
    return header(this.req, name);
  }

  get remoteAddress(): string | undefined {
    return this.req.socket.remoteAddress;
  }

  get contentLength(): string | undefined {
    return header(this.req, "content-length");
  }

  read(limit: number): Promise<Uint8Array> {
    return readLimited(this.req, limit);
  }

  reply(response: VaultResponse): void {
    const { res } = this;
    try {
      const headers = response.headers;
      if (this.closing()) headers.connection = "close";
      if (response.body !== null) headers["content-length"] = String(Buffer.byteLength(response.body));
      res.writeHead(response.status, headers);
      res.end(response.body ?? undefined);
    } catch {
      // Only a reply Node refuses to write gets here (the handler answers every error itself):
      // drop the connection rather than the process.
      res.destroy();
    }
  }

  abort(): void {
    this.res.destroy();
  }
}

/**
 * A header by lowercase name, from the raw list: Node's `req.headers` keeps only the first of a
 * repeated Authorization or Host header, and the core must see all of them (two bearer tokens are
 * ambiguous). Repeats are joined with ", ". Reading the raw list also spares building Node's
 * header object for the three or four headers a request needs; names compare without lowercasing
 * a copy of each (clients send `Host` as often as `host`).
 */
function header(req: IncomingMessage, name: string): string | undefined {
  let joined: string | undefined;
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const key = raw[i]!;
    if (key.length === name.length && (key === name || sameLowercase(key, name))) {
      joined = joined === undefined ? raw[i + 1]! : `${joined}, ${raw[i + 1]!}`;
    }
  }
  return joined;
}

/** `key.toLowerCase() === lower` for a header name (ASCII by HTTP's grammar; Node's parser enforces it), without the copy. */
function sameLowercase(key: string, lower: string): boolean {
  for (let i = 0; i < key.length; i++) {
    let code = key.charCodeAt(i);
    if (code >= 65 && code <= 90) code += 32;
    if (code !== lower.charCodeAt(i)) return false;
  }
  return true;
}

/**
 * The body, up to `limit` bytes. Past the limit it stops listening and pauses the stream rather
 * than destroying it (which would take the socket, and the 413, with it); the 413 carries
 * `Connection: close`, so Node discards the rest and closes after replying.
 */
function readLimited(req: IncomingMessage, limit: number): Promise<Uint8Array> {
  if (req.readableEnded) return Promise.resolve(new Uint8Array(0));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
      req.off("close", onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > limit) {
        cleanup();
        req.pause();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks));
    };
    // A hang-up mid-body shows as 'error' (ECONNRESET "aborted") or a 'close' with no 'end': the
    // client's doing, logged as its abort (499), never as a server error.
    const onError = () => {
      cleanup();
      reject(clientClosed());
    };
    const onClose = () => {
      cleanup();
      reject(clientClosed());
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
    req.on("close", onClose);
  });
}

/**
 * Requests Node's parser refuses (malformed, headers over the limit, too slow) never reach the
 * handler; they still get Key Vault's JSON envelope rather than Node's bare 400.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === "ECONNRESET" || !socket.writable) {
    socket.destroy();
    return;
  }
  const status = error.code === "HPE_HEADER_OVERFLOW" ? 431 : error.code === "ERR_HTTP_REQUEST_TIMEOUT" ? 408 : 400;
  const body =
    status === 431
      ? errorBody("RequestHeaderFieldsTooLarge", "The request headers are larger than the server accepts.")
      : status === 408
        ? errorBody("RequestTimeout", "The request took too long to arrive.")
        : errorBody("BadRequest", "The request is not valid HTTP/1.1.");
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
      `content-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\n` +
      `x-ms-request-id: ${randomUUID()}\r\nconnection: close\r\n\r\n${body}`,
  );
}
