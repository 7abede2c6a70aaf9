import assert from "node:assert/strict";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { FdOutput, processContext } from "../../src/cli/context.js";

describe("process context", () => {
  it("FdOutput writes strings and bytes straight to the descriptor, in order", () => {
    const dir = mkdtempSync(join(tmpdir(), "orbitra-fd-"));
    const file = join(dir, "out");
    const fd = openSync(file, "w");
    try {
      const out = new FdOutput(fd, () => assert.fail("no stream needed"));
      assert.equal(out.isTTY, false);
      assert.equal(out.write("caf\u00e9 "), true);
      assert.equal(out.write(Buffer.from("bytes")), true);
      assert.equal(out.write(""), true);
    } finally {
      closeSync(fd);
    }
    assert.equal(readFileSync(file, "utf8"), "caf\u00e9 bytes");
    rmSync(dir, { recursive: true, force: true });
  });

  it("processContext does not touch process.stdin until a command reads it", () => {
    const ctx = processContext();
    assert.equal(typeof Object.getOwnPropertyDescriptor(ctx, "stdin")?.get, "function");
    assert.ok(ctx.stdout instanceof FdOutput);
  });
});
