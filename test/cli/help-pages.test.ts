import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { after, before, describe, it } from "node:test";
import type { Command } from "commander";
import { buildProgram } from "../../src/cli/build-program.js";
import type { CliContext } from "../../src/cli/context.js";
import { cli } from "./run.js";

/** Every command path of the tree: [], ["secrets"], ["secrets", "get"], ... */
function commandPaths(command: Command, prefix: string[] = []): string[][] {
  return [prefix, ...command.commands.flatMap((sub) => commandPaths(sub, [...prefix, sub.name()]))];
}

// Help is read at 80 columns: commander wraps descriptions to the width itself, so a text that is
// also wrapped by hand comes out wrapped twice, with fragments left on lines of their own.
describe("every --help page reads well at 80 columns", () => {
  let home: string;
  let program: Command;
  before(() => {
    home = mkdtempSync(join(tmpdir(), "orbitra-help-"));
    const sink = new Writable({ write: (_c, _e, done) => done() });
    program = buildProgram({ stdout: sink, stderr: sink, stdin: process.stdin, env: {}, cwd: home } as unknown as CliContext);
  });
  after(() => rmSync(home, { recursive: true, force: true }));

  it("no description is wrapped by hand (a single line break inside a paragraph)", () => {
    const walk = (command: Command, path: string): string[] => {
      const texts = [
        [`${path}: description`, command.description()],
        ...command.options.map((o) => [`${path} ${o.flags}`, o.description]),
        ...command.registeredArguments.map((a) => [`${path} <${a.name()}>`, a.description]),
      ] as [string, string][];
      const bad = texts.filter(([, text]) => /[^\n]\n(?![\n\s])/.test(text)).map(([where]) => where);
      return [...bad, ...command.commands.flatMap((sub) => walk(sub, `${path} ${sub.name()}`))];
    };
    assert.deepEqual(walk(program, "orbitra"), []);
  });

  it("no line is longer than 80 columns, and none is a stray fragment of the line before", async () => {
    const problems: string[] = [];
    const paths = commandPaths(program);
    assert.ok(paths.length > 30, `${paths.length} pages`);
    for (const path of paths) {
      const result = await cli([...path, "--help"], { ORBITRA_HOME: home });
      assert.equal(result.code, 0, `${path.join(" ")}: ${result.stderr}`);
      const lines = result.stdout.split("\n");
      for (const [i, line] of lines.entries()) {
        if (line.length > 80) problems.push(`orbitra ${path.join(" ")} --help, line ${i + 1} has ${line.length} columns: ${line}`);
        // A short line that a sentence goes on from (next line, same indent, lower case): wrapped twice.
        const next = lines[i + 1] ?? "";
        const indent = (s: string) => /^ */.exec(s)![0].length;
        if (line.trim() && line.trim().length < 40 && /^ *[a-z]/.test(next) && indent(next) === indent(line) && lines[i - 1]?.trim() && indent(lines[i - 1]!) === indent(line) && !/[.:]$/.test(line) && lines[i - 1]!.length > 60) {
          problems.push(`orbitra ${path.join(" ")} --help, line ${i + 1} is a fragment: '${line.trim()}'`);
        }
      }
    }
    assert.deepEqual(problems, []);
  });
});
