import type { Controller, ReconcileContext } from '../../../src/controllers/runtime.ts';
import type { Logger } from '../../../src/lib/logger.ts';
import { storeEventRecorder } from '../../../src/kube/events.ts';
import type { ObjectStore } from '../../../src/store/objects.ts';
import type { KubeObject } from '../../../src/kube/types.ts';
import { createTestStore, type ManualClock } from '../../helpers/store.ts';
import { objectCacheFor } from '../../../src/controllers/shared/object-cache.ts';

const silent: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child() {
    return silent;
  },
};

export interface ControllerWorld {
  store: ObjectStore;
  clock: ManualClock;
  clusterId: string;
  ctx: ReconcileContext;
  /** Commits seen so far that changed anything but Events. */
  commits(): number;
  /** What the last pass of each controller asked for. */
  lastResults: Map<string, { requeueAfterMs?: number; more?: boolean }>;
}

/** A real in-memory store and a reconcile context on its manual clock (cluster time = clock time). */
export async function controllerWorld(): Promise<ControllerWorld> {
  const { store, clock, clusterId } = await createTestStore();
  // Event writes trigger no controller (none watches events), so they do not count as change.
  let commits = 0;
  store.onCommit((_cluster, events) => {
    if (events.some((e) => e.resource !== 'events')) commits++;
  });
  // Cached objects are shared between passes: freezing them makes any in-place change fail the test.
  objectCacheFor(store).freezeObjects();
  const now = () => clock.now();
  const ctx: ReconcileContext = {
    clusterId,
    store,
    now,
    log: silent,
    events: storeEventRecorder(store, clusterId, now),
    trigger() {},
  };
  return { store, clock, clusterId, ctx, commits: () => commits, lastResults: new Map() };
}

/**
 * Runs every controller in turn, round after round, until a whole round writes nothing: the
 * level-triggered fixpoint. Timers (requeueAfterMs) are the test's business: advance the clock
 * and settle again.
 */
export async function runUntilSettled(world: ControllerWorld, controllers: Controller[], maxRounds = 500): Promise<number> {
  for (let round = 1; round <= maxRounds; round++) {
    const before = world.commits();
    let more = false;
    for (const c of controllers) {
      const result = (await c.reconcile(world.ctx)) ?? {};
      world.lastResults.set(c.name, result);
      if (result.more) more = true;
    }
    if (world.commits() === before && !more) return round;
  }
  throw new Error(`controllers did not settle within ${maxRounds} rounds`);
}

export async function listAll(world: ControllerWorld, resource: string, namespace?: string): Promise<KubeObject[]> {
  return (await world.store.list(world.clusterId, resource, { namespace })).items;
}

export async function eventsFor(world: ControllerWorld, name: string): Promise<{ reason: string; message: string; type: string }[]> {
  const items = await listAll(world, 'events');
  return items
    .filter((e) => (e.involvedObject as { name: string }).name === name)
    .map((e) => ({ reason: e.reason as string, message: e.message as string, type: e.type as string }));
}
