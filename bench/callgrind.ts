// Instruction counts of a whole Node process under valgrind's callgrind, for the start-up benches.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface Count {
  /** Every instruction the process retired. */
  total: number;
  /** Those of V8's hash-seed set-up: a search for random primes, 0-20 M from one process to the next. */
  seed: number;
  /** `total - seed`: steady to ~0.5 M from run to run, where `total` moves by up to ~8 M (more on some Node builds). */
  net: number;
}

/**
 * Runs `node ...args` under callgrind and reads its profile. The seed's share is taken from the
 * profile (`v8::internal::HashSeed::InitializeRoots`, inclusive) rather than left in: it is a
 * random draw at start, the same work in every process whatever the script, and what made counts
 * of one build swing by more than the differences being looked for.
 */
export function countInstructions(node: string, args: readonly string[], env: NodeJS.ProcessEnv): Count {
  const dir = mkdtempSync(join(tmpdir(), "orbitra-callgrind-"));
  const out = join(dir, "callgrind.out");
  try {
    const run = spawnSync("valgrind", ["--tool=callgrind", `--callgrind-out-file=${out}`, node, ...args], { env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    const total = /Collected : (\d+)/.exec(run.stderr ?? "");
    if (!total) throw new Error(`valgrind gave no count for ${args.join(" ")}: ${run.error?.message ?? run.stderr}`);
    const profile = spawnSync("callgrind_annotate", ["--inclusive=yes", out], { encoding: "utf8", maxBuffer: 1 << 28 });
    if (profile.status !== 0) throw new Error(`callgrind_annotate failed: ${profile.stderr}`);
    const seedLine = /^\s*([\d,]+) .*HashSeed::InitializeRoots/m.exec(profile.stdout);
    const seed = seedLine ? Number(seedLine[1]!.replace(/,/g, "")) : 0;
    return { total: Number(total[1]), seed, net: Number(total[1]) - seed };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
