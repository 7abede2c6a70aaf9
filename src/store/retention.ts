import type { RecoveryLevel } from "../core/types.js";

export interface Retention {
  recoverableDays: number;
  recoveryLevel: RecoveryLevel;
}

/** Key Vault's naming: 90 days is the standard level, anything shorter is "Customized" (docs/keyvault-wire.md §8). */
export function retentionFor(days: number): Retention {
  return {
    recoverableDays: days,
    recoveryLevel: days === 90 ? "Recoverable+Purgeable" : "CustomizedRecoverable+Purgeable",
  };
}
