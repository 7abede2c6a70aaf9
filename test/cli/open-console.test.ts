import assert from "node:assert/strict";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, describe, it } from "node:test";
import { readyOf, serve } from "../helpers/serve-process.js";

// `vault serve --open` hands the platform's opener a local page, never the console URL: the URL
// carries the console token, and any user of the machine can read a process's argv.
describe("vault serve --open", { skip: process.platform === "linux" ? false : "the stand-in opener is xdg-open" }, () => {
  let home: string;
  before(() => {
    home = mkdtempSync(join(tmpdir(), "orbitra-open-"));
    const opener = join(home, "xdg-open");
    // A stand-in for xdg-open: records its argv, one argument per line.
    writeFileSync(opener, `#!/bin/sh\nprintf '%s\\n' "$@" > "$ORBITRA_TEST_OPENED.tmp" && mv "$ORBITRA_TEST_OPENED.tmp" "$ORBITRA_TEST_OPENED"\n`);
    chmodSync(opener, 0o755);
  });
  after(() => rmSync(home, { recursive: true, force: true }));

  it("opens a 0600 page that forwards to the console; the token is in no argv; the page goes when the server stops", async (t) => {
    const opened = join(home, "opened.txt");
    const server = serve(home, ["--port", "0", "--json", "--open"], { PATH: `${home}:${process.env.PATH}`, ORBITRA_TEST_OPENED: opened });
    t.after(() => server.child.kill("SIGKILL"));
    const ready = await readyOf(server);
    const consoleUrl = ready.vaults[0]!.consoleUrl;
    if (consoleUrl === undefined) return t.skip("the web console is not built (npm run build)");
    for (let i = 0; i < 200 && !existsSync(opened); i++) await sleep(25);
    const argv = readFileSync(opened, "utf8").trim().split("\n");
    const token = new URL(consoleUrl).hash.replace("#token=", "");
    assert.equal(argv.length, 1);
    assert.equal(argv.join(" ").includes(token), false, "the token is not in the opener's argv");
    assert.match(argv[0]!, /^file:\/\/.*\/console-\d+\.html$/);
    const page = fileURLToPath(argv[0]!);
    assert.equal(statSync(page).mode & 0o777, 0o600);
    const html = readFileSync(page, "utf8");
    assert.ok(html.includes(`location.replace(${JSON.stringify(consoleUrl)})`), html);
    assert.ok(html.includes(`url=${consoleUrl}"`), "the no-script fallback forwards too");
    server.child.kill("SIGTERM");
    assert.equal(await server.exited, 0);
    assert.equal(existsSync(page), false, "removed at stop");
  });
});
