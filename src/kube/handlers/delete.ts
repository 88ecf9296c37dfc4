import type { KubeObject } from '../types.ts';
import { StoreError } from '../../store/errors.ts';
import { requestDeletion, type DeleteOptions, type PropagationPolicy } from '../deletion.ts';
import { admissionForbidden, badRequest, fromStoreError, notFound, successStatus } from '../status.ts';
import { gvString } from '../registry/types.ts';
import { toServed } from '../objects/encode.ts';
import { isPlainObject } from '../patch/merge.ts';
import { refreshQuotaUsage } from '../admission/quota-refresh.ts';
import { isoTime } from '../../lib/clock.ts';
import { parseListQuery } from './list-options.ts';
import { isDryRun, json, type KubeRequest, type KubeResponse } from './context.ts';

const POLICIES: PropagationPolicy[] = ['Background', 'Foreground', 'Orphan'];
/** Namespaces Kubernetes refuses to delete. */
const PROTECTED_NAMESPACES = new Set(['default', 'kube-system', 'kube-public']);
const QUOTA_TRACKED = new Set(['pods', 'services', 'configmaps', 'secrets', 'persistentvolumeclaims', 'resourcequotas']);

/** DeleteOptions from the body (kubectl) or the query string (curl, client libraries). */
export function parseDeleteOptions(req: KubeRequest, body: unknown): DeleteOptions {
  const b = isPlainObject(body) ? body : {};
  const opts: DeleteOptions = {};
  const policy = (b.propagationPolicy as string | undefined) ?? req.query.get('propagationPolicy') ?? undefined;
  if (b.orphanDependents === true || req.query.get('orphanDependents') === 'true') opts.propagationPolicy = 'Orphan';
  if (policy) {
    if (!POLICIES.includes(policy as PropagationPolicy)) {
      throw badRequest(`DeleteOptions.propagationPolicy: Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan"`);
    }
    opts.propagationPolicy = policy as PropagationPolicy;
  }
  const grace = b.gracePeriodSeconds ?? req.query.get('gracePeriodSeconds');
  if (grace !== undefined && grace !== null) {
    const n = Number(grace);
    if (!Number.isInteger(n) || n < 0) throw badRequest(`DeleteOptions.gracePeriodSeconds: Invalid value: ${grace}: must be greater than or equal to 0`);
    opts.gracePeriodSeconds = n;
  }
  if (isPlainObject(b.preconditions)) opts.preconditions = b.preconditions as DeleteOptions['preconditions'];
  return opts;
}

/** A namespace with the `kubernetes` finalizer is only marked Terminating; its controller empties it. */
async function markNamespaceTerminating(req: KubeRequest, ns: KubeObject): Promise<KubeObject> {
  if (ns.metadata.deletionTimestamp) return ns;
  const next = structuredClone(ns);
  next.metadata.deletionTimestamp = isoTime(await req.deps.store.clusterNow(req.clusterId));
  next.metadata.deletionGracePeriodSeconds = 0;
  next.status = { ...(next.status ?? {}), phase: 'Terminating' };
  return req.deps.store.update(req.clusterId, 'namespaces', next);
}

/** Deletes one stored object; returns what the API answers with and whether it is gone. */
export async function deleteOne(req: KubeRequest, name: string, opts: DeleteOptions): Promise<{ object: KubeObject; deleted: boolean }> {
  const def = req.storageDef;
  const ns = req.namespace ?? '';
  const current = await req.deps.store.get(req.clusterId, def.storage, ns, name);
  if (!current) throw notFound(req.def, name);
  if (def.storage === 'namespaces') {
    if (PROTECTED_NAMESPACES.has(name)) throw admissionForbidden(req.def, name, 'this namespace may not be deleted');
    if ((current.spec?.finalizers ?? []).length > 0) {
      if (isDryRun(req)) return { object: current, deleted: false };
      return { object: await markNamespaceTerminating(req, current), deleted: false };
    }
  }
  if (isDryRun(req)) return { object: current, deleted: false };
  try {
    return await requestDeletion(req.deps.store, req.clusterId, def.storage, ns, name, opts);
  } catch (e) {
    if (e instanceof StoreError) throw fromStoreError(e, req.def);
    throw e;
  }
}

async function afterDeletes(req: KubeRequest, namespaces: Set<string>): Promise<void> {
  if (!QUOTA_TRACKED.has(req.storageDef.storage) || isDryRun(req)) return;
  for (const ns of namespaces) {
    try {
      await refreshQuotaUsage(req.deps.store, req.clusterId, ns);
    } catch (e) {
      req.deps.logger?.warn({ err: String(e), ns }, 'quota usage refresh failed');
    }
  }
}

/** Deleted objects answer with a Success Status (pods with the pod); pending ones with the object. */
function deleteAnswer(req: KubeRequest, r: { object: KubeObject; deleted: boolean }): KubeResponse {
  if (r.deleted && req.storageDef.storage !== 'pods') {
    return json(200, successStatus({ name: r.object.metadata.name, group: req.def.group || undefined, kind: req.def.plural, uid: r.object.metadata.uid }));
  }
  return json(200, toServed(req.def, r.object));
}

export async function handleDelete(req: KubeRequest, body: unknown): Promise<KubeResponse> {
  const r = await deleteOne(req, req.name!, parseDeleteOptions(req, body));
  if (r.deleted) await afterDeletes(req, new Set([r.object.metadata.namespace ?? '']));
  return deleteAnswer(req, r);
}

/** At most this many objects per deletecollection call, like the API server's chunked deletes. */
const COLLECTION_LIMIT = 10_000;

export async function handleDeleteCollection(req: KubeRequest, body: unknown): Promise<KubeResponse> {
  const opts = parseDeleteOptions(req, body);
  const q = parseListQuery(req.def, req.query);
  const page = await req.deps.store.list(req.clusterId, req.storageDef.storage, { namespace: req.namespace, filter: q.filter, limit: COLLECTION_LIMIT });
  const items: KubeObject[] = [];
  const touched = new Set<string>();
  for (const obj of page.items) {
    try {
      const r = await deleteOne({ ...req, namespace: obj.metadata.namespace }, obj.metadata.name!, opts);
      items.push(toServed(req.def, r.object));
      touched.add(obj.metadata.namespace ?? '');
    } catch (e) {
      // Already gone (another deleter won the race) is fine for a collection delete.
      if ((e as { code?: number }).code !== 404) throw e;
    }
  }
  await afterDeletes(req, touched);
  return json(200, { kind: `${req.def.kind}List`, apiVersion: gvString(req.def), metadata: { resourceVersion: page.resourceVersion }, items });
}
