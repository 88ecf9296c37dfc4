import type { Controller, ReconcileContext, ReconcileResult } from '../controllers/runtime.ts';
import { Pass } from '../controllers/shared/pass.ts';
import type { KubeObject } from '../kube/types.ts';
import { CreateAdmission } from '../controllers/shared/admission.ts';
import type { WriteOp } from '../store/objects.ts';
import { ENDPOINT_SLICE_RESOURCE, MANAGED_BY, MANAGED_BY_LABEL, reconcileSlices, SERVICE_NAME_LABEL } from './endpoint-slices.ts';
import { desiredEndpoints, endpointsContent, ENDPOINTS_MANAGED_BY } from './endpoints.ts';
import { syncPodIndex } from './pod-index.ts';

/**
 * The endpoints and EndpointSlice controllers in one pass (they read the same pods): every Service
 * with a selector gets an Endpoints object and slices that follow its ready, not-ready and
 * terminating pods; managed objects of Services that are gone or lost their selector are removed.
 */
export const endpointsController: Controller = {
  name: 'endpoints',
  // A create that quota refused is tried again when quotas change (upstream requeues with back-off).
  watches: ['services', 'pods', 'endpoints', 'endpointslices.discovery.k8s.io', 'resourcequotas'],
  async reconcile(ctx: ReconcileContext): Promise<ReconcileResult> {
    const pass = new Pass(ctx, 'endpoint-controller');
    const { store, clusterId } = ctx;
    const [services, endpoints, slices, nodes] = await Promise.all([
      store.list(clusterId, 'services'),
      store.list(clusterId, 'endpoints'),
      store.list(clusterId, ENDPOINT_SLICE_RESOURCE),
      store.list(clusterId, 'nodes'),
    ]);
    // Pods come from an in-memory index kept current from the watch log: no full pod list per pass.
    const { pods: podsOf } = await syncPodIndex(store, clusterId);
    const endpointsByKey = new Map(endpoints.items.map((e) => [key(e), e]));
    const slicesByService = groupBy(
      slices.items.filter(
        (s) => s.metadata.labels?.[SERVICE_NAME_LABEL] && (s.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY || s.metadata.name === 'kubernetes'),
      ),
      (s) => `${s.metadata.namespace}/${s.metadata.labels![SERVICE_NAME_LABEL]}`,
    );
    const zones = new Map(nodes.items.map((n) => [n.metadata.name!, n.metadata.labels?.['topology.kubernetes.io/zone']]));
    const zoneOf = (node: string) => zones.get(node);

    const ops: WriteOp[] = [];
    /** The Service each create is for: a refused create is reported on it. */
    const serviceOf = new Map<WriteOp, KubeObject>();
    const seen = new Set<string>();
    for (const svc of services.items) {
      const k = key(svc);
      seen.add(k);
      const first = ops.length;
      const pods = podsOf(svc.metadata.namespace ?? 'default');
      const wanted = desiredEndpoints(svc, pods);
      const current = endpointsByKey.get(k);
      if (wanted && !current) ops.push({ op: 'create', resource: 'endpoints', object: wanted });
      else if (wanted && current && endpointsContent(current) !== endpointsContent(wanted)) {
        const next: KubeObject = {
          ...wanted,
          metadata: { ...current.metadata, labels: wanted.metadata.labels, annotations: mergeAnnotations(current, wanted) },
        };
        if (!wanted.subsets) delete next.subsets;
        ops.push({ op: 'update', resource: 'endpoints', object: next });
      } else if (!wanted && current && isManaged(current)) ops.push(deleteOp('endpoints', current));
      ops.push(...reconcileSlices(svc, slicesByService.get(k) ?? [], pods, zoneOf));
      for (const op of ops.slice(first)) if (op.op === 'create') serviceOf.set(op, svc);
    }
    for (const [k, e] of endpointsByKey) if (!seen.has(k) && isManaged(e)) ops.push(deleteOp('endpoints', e));
    for (const [k, list] of slicesByService) if (!seen.has(k)) list.forEach((s) => ops.push(deleteOp(ENDPOINT_SLICE_RESOURCE, s)));

    // One commit per object (Endpoints and slices of different Services are independent); the rest
    // past the budget wait for the next pass. Creates are admitted as a client's would be (quota on
    // count/endpoints...), a refusal reported on the Service.
    const admission = new CreateAdmission(store, clusterId);
    for (const op of ops) {
      if (pass.exhausted) break;
      if (op.op !== 'create') {
        await pass.attempt(() => store.commit(clusterId, [op]));
        continue;
      }
      const outcome = await pass.attempt(() => admission.create(op.resource, op.object));
      const svc = serviceOf.get(op);
      if (outcome && 'refused' in outcome && svc) {
        const [reason, message, component] = refusalEvent(op.resource, svc, outcome.refused);
        await pass.event(svc, 'Warning', reason, message, component);
      }
    }
    return pass.result();
  },
};

/** Upstream's Events for a create the API server refused: the endpoints and the EndpointSlice controllers' words. */
function refusalEvent(resource: string, svc: KubeObject, reason: string): [string, string, string] {
  if (resource === 'endpoints')
    return ['FailedToCreateEndpoint', `Failed to create endpoint for service ${svc.metadata.namespace}/${svc.metadata.name}: ${reason}`, 'endpoint-controller'];
  return [
    'FailedToUpdateEndpointSlices',
    `Error updating Endpoint Slices for Service ${svc.metadata.namespace}/${svc.metadata.name}: ${reason}`,
    'endpointslice-controller',
  ];
}

function key(o: KubeObject): string {
  return `${o.metadata.namespace ?? 'default'}/${o.metadata.name}`;
}

function isManaged(e: KubeObject): boolean {
  return e.metadata.labels?.[ENDPOINTS_MANAGED_BY] === 'endpoint-controller';
}

function mergeAnnotations(current: KubeObject, wanted: KubeObject): Record<string, string> | undefined {
  const a = { ...(current.metadata.annotations ?? {}) };
  delete a['endpoints.kubernetes.io/over-capacity'];
  Object.assign(a, wanted.metadata.annotations ?? {});
  return Object.keys(a).length ? a : undefined;
}

function deleteOp(resource: string, o: KubeObject): WriteOp {
  return { op: 'delete', resource, namespace: o.metadata.namespace ?? '', name: o.metadata.name!, uid: o.metadata.uid };
}

function groupBy<T>(items: T[], by: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const i of items) {
    const k = by(i);
    const list = m.get(k);
    if (list) list.push(i);
    else m.set(k, [i]);
  }
  return m;
}
