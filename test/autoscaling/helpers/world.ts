import { objectCacheFor } from '../../../src/controllers/shared/object-cache.ts';
import type { Controller, ReconcileContext, ReconcileResult } from '../../../src/controllers/runtime.ts';
import { storeEventRecorder } from '../../../src/kube/events.ts';
import type { KubeObject } from '../../../src/kube/types.ts';
import type { Logger } from '../../../src/lib/logger.ts';
import { sampleStatements } from '../../../src/metrics/write.ts';
import type { UsageSample } from '../../../src/metrics/sampler.ts';
import { createTestStore } from '../../helpers/store.ts';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };

/** A store-level cluster on a manual clock for autoscaling tests (cluster time = clock time). */
export async function autoscalingWorld() {
  const t = await createTestStore();
  // Cached objects are shared between passes: freezing them makes any in-place change fail the test.
  objectCacheFor(t.store).freezeObjects();
  const now = () => t.clock.now();
  const ctx: ReconcileContext = {
    clusterId: t.clusterId,
    store: t.store,
    now,
    log: silent,
    events: storeEventRecorder(t.store, t.clusterId, now),
    trigger() {},
  };
  const list = async (resource: string, namespace?: string) => (await t.store.list(t.clusterId, resource, { namespace })).items;
  const get = (resource: string, namespace: string, name: string) => t.store.get(t.clusterId, resource, namespace, name);
  const create = (resource: string, obj: KubeObject) => t.store.create(t.clusterId, resource, obj);
  const events = async (name: string) =>
    (await list('events')).filter((e) => (e.involvedObject as { name: string }).name === name).map((e) => `${e.type} ${e.reason}: ${e.message}`);
  const run = async (c: Controller): Promise<ReconcileResult> => (await c.reconcile(ctx)) ?? {};
  /** Stores one scrape as metrics-server would have taken it now (as change points). */
  const scrape = async (samples: UsageSample[]) => t.database.atomicWrite(await sampleStatements(t.database, t.clusterId, now(), samples));
  return { ...t, ctx, list, get, create, events, run, scrape };
}

/** A pod sample with a single `app` container. */
export function podSample(name: string, cpuMilli: number, memoryBytes = 50 * 1024 * 1024, namespace = 'default'): UsageSample {
  return { kind: 'pod', namespace, name, cpuMilli, memoryBytes, containers: [{ name: 'app', cpuMilli, memoryBytes }] };
}
