/** The bodies carried by the Worker's one Cloudflare Queue (consumed by `consumer.ts`). */
export type WorkMessage =
  /** A pass of one controller over one cluster (coalesced through `reconcile_marks`); a timer carries
   * the due time it was sent for: its delivery frees the slot, or runs nothing once another is armed. */
  | { kind: 'reconcile'; clusterId: string; controller: string; timerDue?: number }
  /** A management operation (provision, resize, delete). */
  | { kind: 'operation'; operationId: string }
  /** Continue a billing cycle that stopped at its per-run cap. */
  | { kind: 'billing' };

/** Queues deliver a message at most 12 hours after it is sent. */
export const MAX_DELAY_SECONDS = 43_200;

/** Real milliseconds → a message delay: whole seconds (the Queues unit), never early, at most 12 h. */
export function delaySecondsFor(delayMs: number): number {
  return Math.min(MAX_DELAY_SECONDS, Math.max(0, Math.ceil(delayMs / 1000)));
}

export function isWorkMessage(body: unknown): body is WorkMessage {
  if (!body || typeof body !== 'object') return false;
  const b = body as Record<string, unknown>;
  switch (b.kind) {
    case 'reconcile':
      return typeof b.clusterId === 'string' && typeof b.controller === 'string' && (b.timerDue === undefined || typeof b.timerDue === 'number');
    case 'operation':
      return typeof b.operationId === 'string';
    case 'billing':
      return true;
    default:
      return false;
  }
}
