import { Hono } from "hono";
import { tooLarge } from "./errors.js";
import { createVaultHandler, type VaultHandlerOptions } from "./handler.js";

export type VaultAppOptions = VaultHandlerOptions;

/**
 * The Key Vault secrets API over one store as a Hono app, so tests (and anyone embedding the API
 * in their own Hono server) can call `app.request()` in-process. The same handler as the HTTPS
 * server in serve.ts, which talks to node:https directly because the Fetch-API round trip cost
 * more per request than the rest of the server together (see bench/README.md).
 */
export function createVaultApp(options: VaultAppOptions): Hono {
  const handle = createVaultHandler(options);
  const app = new Hono();
  app.all("*", async (c) => {
    const request = c.req.raw;
    const url = new URL(request.url);
    const response = await handle({
      method: request.method,
      target: url.pathname + url.search,
      scheme: url.protocol === "http:" ? "http" : "https",
      header: (name) => request.headers.get(name) ?? undefined,
      body: {
        contentLength: request.headers.get("content-length") ?? undefined,
        read: (limit) => readLimited(request.body, limit),
      },
    });
    return new Response(response.body, { status: response.status, headers: response.headers });
  });
  return app;
}

async function readLimited(body: ReadableStream<Uint8Array> | null, limit: number): Promise<Uint8Array> {
  if (!body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
