#!/usr/bin/env node
import { processContext } from "./context.js";
import { runCli } from "./program.js";

void runCli(process.argv.slice(2), processContext()).then((code) => {
  process.exitCode = code;
});
