import assert from "node:assert/strict";
import fc from "fast-check";
import { assertEnvelope } from "./server.js";

export interface RouteReply {
  status: number;
  contentType: string | null;
  text: string;
}

export interface RouteArbitraries {
  path: fc.Arbitrary<string>;
  query: fc.Arbitrary<string>;
  body: fc.Arbitrary<string | undefined>;
}

/**
 * Generated requests (any method, the kind's paths, queries and bodies) against in-process routes:
 * every reply in Key Vault's envelope and never a 5xx, and a refused request leaves `snapshot()`
 * as it was. Bounded in runs and time, so a slow box shortens it rather than failing it.
 */
export async function fuzzRoutes(
  arbitraries: RouteArbitraries,
  send: (method: string, path: string, body?: string) => Promise<RouteReply>,
  snapshot: () => string,
): Promise<void> {
  const method = fc.constantFrom("GET", "PUT", "PATCH", "POST", "DELETE");
  await fc.assert(
    fc.asyncProperty(method, arbitraries.path, arbitraries.query, arbitraries.body, async (m, p, q, b) => {
      const before = snapshot();
      const reply = await send(m, `${p}${q}`, m === "GET" ? undefined : b);
      assertEnvelope(reply.status, reply.contentType, reply.text, `${m} ${p}${q} ${b?.slice(0, 80)}`);
      if (reply.status >= 400) assert.equal(snapshot(), before, `${m} ${p}${q} changed the vault`);
    }),
    { numRuns: 300, interruptAfterTimeLimit: 30_000 },
  );
}
