import type { Command } from "commander";
import type { CliContext } from "../context.js";
import { registerKeysCryptoCommands } from "./keys-crypto.js";
import { registerKeysLifecycleCommands } from "./keys-lifecycle.js";
import { registerKeysReadCommands } from "./keys-read.js";
import { registerKeysWriteCommands } from "./keys-write.js";

export function registerKeysCommands(program: Command, ctx: CliContext): void {
  const keys = program
    .command("keys")
    .summary("create keys and encrypt, sign or wrap with them in an environment's vault")
    .description(
      "Every command takes -e/--environment (default: ORBITRA_ENVIRONMENT, settings, or the built-in 'local') " +
        "and --key-vault (a vault name, an https:// URL, or local:PATH) to pick the vault. Private keys never " +
        "leave the vault: the crypto commands send it the data (or its digest) and write back the result.",
    );
  registerKeysReadCommands(keys, ctx);
  registerKeysWriteCommands(keys, ctx);
  registerKeysLifecycleCommands(keys, ctx);
  registerKeysCryptoCommands(keys, ctx);
}
