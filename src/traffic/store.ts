import { eq } from 'drizzle-orm';
import type { Database } from '../store/db.ts';
import type { ObjectStore } from '../store/objects.ts';
import type { KubeObject } from '../kube/types.ts';
import { clusterTraffic } from '../store/schema/index.ts';
import { computeTrafficDemand, type TrafficDemand } from './demand.ts';
import { EMPTY_TRAFFIC, type TrafficSpec } from './types.ts';

export async function getTrafficSpec(database: Database, clusterId: string): Promise<{ spec: TrafficSpec; updatedAt?: number }> {
  const row = await database.db.select().from(clusterTraffic).where(eq(clusterTraffic.clusterId, clusterId)).get();
  if (!row) return { spec: EMPTY_TRAFFIC };
  return { spec: JSON.parse(row.spec) as TrafficSpec, updatedAt: row.updatedAt };
}

/** Replaces the cluster's traffic model (PUT semantics). */
export async function putTrafficSpec(database: Database, clusterId: string, spec: TrafficSpec, nowMs: number): Promise<void> {
  const body = JSON.stringify(spec);
  await database.atomicWrite([
    {
      query: database.db
        .insert(clusterTraffic)
        .values({ clusterId, spec: body, updatedAt: nowMs })
        .onConflictDoUpdate({ target: clusterTraffic.clusterId, set: { spec: body, updatedAt: nowMs } }),
    },
  ]);
}

/** The cluster's traffic model as controllers read it (through the store they already hold). */
export async function loadTrafficSpec(store: ObjectStore, clusterId: string): Promise<TrafficSpec> {
  return (await getTrafficSpec(store.database, clusterId)).spec;
}

/**
 * The cluster's traffic turned into per-pod extra demand at cluster time `nowMs`. Callers that
 * already listed pods or Services pass them in. The kubelet can use this to feel the same load
 * the metrics pipeline reports.
 */
export async function loadTrafficDemand(
  store: ObjectStore,
  clusterId: string,
  nowMs: number,
  known: { pods?: KubeObject[]; services?: KubeObject[] } = {},
): Promise<TrafficDemand> {
  const spec = await loadTrafficSpec(store, clusterId);
  if (spec.services.length === 0) return { pods: new Map(), services: [] };
  const services = known.services ?? (await store.list(clusterId, 'services')).items;
  const pods = known.pods ?? (await store.list(clusterId, 'pods')).items;
  return computeTrafficDemand(spec, services, pods, nowMs);
}
