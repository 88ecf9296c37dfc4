import { runBillingCycle } from '../../billing/cycle.ts';
import { sweepIdempotencyKeys } from '../../services/housekeeping/idempotency-keys.ts';
import type { ConsumerDeps } from './consumer.ts';
import { ensureTimersArmed, pruneWorkerState, resumeStalledOperations } from './periodic.ts';

/**
 * The Cron Trigger (every minute, wrangler.toml): what BullMQ's job schedulers and the Node start-up
 * do. It arms the timers once after an upgrade, re-sends operations whose message was lost, runs the
 * billing cycle (Node's BILLING_MS defaults to the same minute), prunes Workers-only state and
 * expires old Idempotency-Keys. Each job runs even when another fails.
 */
export async function runScheduled(deps: ConsumerDeps, cron: string): Promise<void> {
  const jobs: Array<[string, () => Promise<unknown>]> = [
    ['timers', () => ensureTimersArmed(deps)],
    ['stalled operations', () => resumeStalledOperations(deps)],
    [
      'billing cycle',
      async () => {
        const result = await runBillingCycle({ database: deps.database, nowMs: Date.now() });
        if (result.rating.more) await deps.queue.send({ kind: 'billing' });
      },
    ],
    ['prune', () => pruneWorkerState(deps)],
    ['idempotency keys', () => sweepIdempotencyKeys(deps.database, Date.now())],
  ];
  const results = await Promise.allSettled(jobs.map(([, run]) => run()));
  results.forEach((r, i) => {
    if (r.status === 'rejected') deps.log.warn({ cron, job: jobs[i][0], err: String(r.reason) }, 'scheduled job failed');
  });
}
