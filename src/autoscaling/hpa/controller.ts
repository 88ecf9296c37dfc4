import type { Controller, ReconcileContext, ReconcileResult } from '../../controllers/runtime.ts';
import { Pass } from '../../controllers/shared/pass.ts';
import type { KubeObject } from '../../kube/types.ts';
import { StoreError } from '../../store/errors.ts';
import { podUsageReader } from '../../metrics/read.ts';
import { stateTable } from '../state.ts';
import { readScaleTarget, writeScale } from '../scale-target.ts';
import { emptyMemory, type HpaMemory } from './behavior.ts';
import { setHpaCondition } from './conditions.ts';
import type { PodUsageSample } from './metrics.ts';
import { HPA_SYNC_PERIOD_MS } from './spec.ts';
import { syncHpa, type HpaSyncResult } from './sync.ts';

const HPA_RESOURCE = 'horizontalpodautoscalers.autoscaling';
type Stored = HpaMemory & { lastSyncAt: number };

function isDue(hpa: KubeObject, state: Stored | undefined, now: number): boolean {
  if (!state) return true;
  // A spec change is acted on at once, like the informer's update event.
  if (hpa.status?.observedGeneration !== hpa.metadata.generation) return true;
  return now - state.lastSyncAt >= HPA_SYNC_PERIOD_MS;
}

async function usageByNamespace(ctx: ReconcileContext): Promise<Map<string, Map<string, PodUsageSample>>> {
  const out = new Map<string, Map<string, PodUsageSample>>();
  for (const s of await podUsageReader(ctx.store, ctx.clusterId).latest()) {
    const ns = out.get(s.namespace) ?? new Map<string, PodUsageSample>();
    ns.set(s.name, { at: s.at, windowMs: s.windowMs, cpuMilli: s.cpuMilli, memoryBytes: s.memoryBytes, containers: s.containers ?? [] });
    out.set(s.namespace, ns);
  }
  return out;
}

/** Writes the target's new size; on failure the status says so instead (FailedUpdateScale). */
async function applyScale(
  pass: Pass,
  hpa: KubeObject,
  resource: string,
  target: KubeObject,
  result: HpaSyncResult,
  previous: Stored | undefined,
): Promise<HpaSyncResult> {
  if (result.scaleTo === undefined) return result;
  pass.spend();
  try {
    await writeScale(pass.store, pass.clusterId, resource, hpa.metadata.namespace!, target.metadata.name!, result.scaleTo);
    return result;
  } catch (err) {
    if (!(err instanceof StoreError)) throw err;
    const now = pass.nowMs;
    const rescale = result.events.find((e) => e.reason === 'SuccessfulRescale');
    const events = result.events.filter((e) => e !== rescale);
    events.push({ type: 'Warning', reason: 'FailedRescale', message: `${rescale?.message ?? `New size: ${result.scaleTo}`}; error: ${err.message}` });
    const status = {
      ...result.status,
      desiredReplicas: hpa.status?.desiredReplicas ?? 0,
      ...(hpa.status?.lastScaleTime ? { lastScaleTime: hpa.status.lastScaleTime } : {}),
      conditions: setHpaCondition(
        result.status.conditions,
        'AbleToScale',
        'False',
        'FailedUpdateScale',
        `the HPA controller was unable to update the target scale: ${err.message}`,
        now,
      ),
    };
    if (!hpa.status?.lastScaleTime) delete status.lastScaleTime;
    return { status, events, memory: previous ?? emptyMemory() };
  }
}

/**
 * The horizontal-pod-autoscaler controller of one cluster: every HPA is synced every 15 s of cluster
 * time (and at once after a spec change) from the newest resource metrics. What upstream keeps in
 * memory (recommendations, scale events) lives in the autoscaling state table.
 */
export const hpaController: Controller = {
  name: 'horizontal-pod-autoscaler',
  watches: [HPA_RESOURCE],
  async reconcile(ctx: ReconcileContext): Promise<ReconcileResult> {
    const pass = new Pass(ctx, 'horizontal-pod-autoscaler');
    const now = pass.nowMs;
    const hpas = (await ctx.store.list(ctx.clusterId, HPA_RESOURCE)).items;
    const table = stateTable<Stored>(ctx.store, ctx.clusterId, 'hpa');
    const states = await table.load();
    const live = new Set(hpas.map((h) => h.metadata.uid!));
    table.forget([...states.keys()].filter((k) => !live.has(k)));

    const due = hpas.filter((h) => isDue(h, states.get(h.metadata.uid!), now));
    const batch: KubeObject[] = [];
    if (due.length) {
      const usage = await usageByNamespace(ctx);
      const podsByNs = new Map<string, KubeObject[]>();
      // Each HPA costs its state row, and its scale, status and Event writes: the rest wait for the next pass.
      for (const hpa of due) {
        if (pass.exhausted) break;
        batch.push(hpa);
        const ns = hpa.metadata.namespace!;
        if (!podsByNs.has(ns)) podsByNs.set(ns, (await ctx.store.list(ctx.clusterId, 'pods', { namespace: ns })).items);
        const state = states.get(hpa.metadata.uid!);
        const target = await readScaleTarget(ctx.store, ctx.clusterId, ns, hpa.spec?.scaleTargetRef ?? {});
        let result = syncHpa({
          hpa,
          target: 'error' in target ? target : { object: target.object },
          namespacePods: podsByNs.get(ns) ?? [],
          usage: usage.get(ns) ?? new Map(),
          memory: state ?? emptyMemory(),
          now,
        });
        if (!('error' in target)) result = await applyScale(pass, hpa, target.resource, target.object, result, state);
        // Changed meanwhile (a user edit): the pass runs again and the next sync writes a fresh status.
        if (JSON.stringify(result.status) !== JSON.stringify(hpa.status ?? {}))
          await pass.attempt(() => ctx.store.update(ctx.clusterId, HPA_RESOURCE, { ...hpa, status: result.status }));
        for (const e of result.events) await pass.event(hpa, e.type, e.reason, e.message);
        pass.spend();
        table.save(hpa.metadata.uid!, { ...result.memory, lastSyncAt: now }, now);
      }
    }
    await table.commit();
    if (due.length > batch.length || hpas.length === 0) return pass.result();
    // Next due sync among the HPAs not just synced.
    let next = HPA_SYNC_PERIOD_MS;
    for (const h of hpas) {
      const s = states.get(h.metadata.uid!);
      if (s && !batch.includes(h)) next = Math.min(next, Math.max(1, s.lastSyncAt + HPA_SYNC_PERIOD_MS - now));
    }
    pass.wakeAt(now + next);
    return pass.result();
  },
};
