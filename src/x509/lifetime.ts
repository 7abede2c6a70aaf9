import type { CertificatePolicy, LifetimeActionType } from "./policy-types.js";

const DAY = 24 * 60 * 60 * 1000;

export interface ScheduledAction {
  action_type: LifetimeActionType;
  /** When the action falls due: a share of the lifetime after notBefore, or days before notAfter. */
  due: Date;
}

/**
 * When each of a policy's lifetime actions falls due for a certificate valid from `notBefore`
 * to `notAfter`, earliest first. Pure: the store compares `due` with its own clock, so a test
 * clock renews a certificate without waiting.
 */
export function lifetimeActionDates(policy: CertificatePolicy, validity: { notBefore: Date; notAfter: Date }): ScheduledAction[] {
  const start = validity.notBefore.getTime();
  const end = validity.notAfter.getTime();
  return policy.lifetime_actions
    .map(({ trigger, action }) => ({
      action_type: action.action_type,
      due: new Date("lifetime_percentage" in trigger ? start + Math.round(((end - start) * trigger.lifetime_percentage) / 100) : end - trigger.days_before_expiry * DAY),
    }))
    .sort((a, b) => a.due.getTime() - b.due.getTime());
}
