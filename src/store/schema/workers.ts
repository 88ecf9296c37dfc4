import { sqliteTable, text, integer, real, primaryKey } from 'drizzle-orm/sqlite-core';

/*
 * Tables only the Cloudflare Workers deployment uses (src/platform/workers): on Node, Redis holds the
 * same state. They live in the shared schema so one `migrations/` folder serves both runtimes.
 */

/**
 * Never holds a row. A D1 batch cannot be aborted from outside once sent, so each `expectChanges`
 * check becomes `INSERT INTO write_guards SELECT NULL WHERE changes() <> n`: when the expectation
 * fails, the NOT NULL constraint fails the statement and with it the whole batch.
 */
export const writeGuards = sqliteTable('write_guards', {
  writeConflict: integer('write_conflict').notNull(),
});

/** Coalescing state per (cluster, controller), the D1 twin of the BullMQ transport's Redis keys. */
export const reconcileMarks = sqliteTable(
  'reconcile_marks',
  {
    clusterId: text('cluster_id').notNull(),
    controller: text('controller').notNull(),
    /** When the one waiting message was sent (ms); null when none is waiting. */
    pendingAt: integer('pending_at'),
    /** Set by every write, cleared when a pass starts: a pass that finds it set again runs once more. */
    dirty: integer('dirty').notNull().default(0),
    /** Holder and expiry of the pass lock, so passes of one (cluster, controller) never overlap. */
    lockToken: text('lock_token'),
    lockUntil: integer('lock_until'),
    /** Due time (ms) of the key's one armed timer (a delayed message carrying it); others that arrive run nothing. */
    timerDue: integer('timer_due'),
  },
  (t) => [primaryKey({ columns: [t.clusterId, t.controller] })],
);

/** The rate limiter's GCRA state: each key's theoretical arrival time in ms (src/lib/gcra.ts). */
export const rateLimits = sqliteTable('rate_limits', {
  key: text('key').primaryKey(),
  tat: real('tat').notNull(),
});

/** Named leases with an expiry (and one-time markers, e.g. `timers-armed`, that never expire). */
export const workerLeases = sqliteTable('worker_leases', {
  name: text('name').primaryKey(),
  holder: text('holder').notNull(),
  expiresAt: integer('expires_at').notNull(),
});
