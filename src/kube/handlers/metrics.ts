import type { MetricsApi } from '../deps.ts';
import type { ResourceDef } from '../registry/types.ts';
import { resource } from '../registry/helpers.ts';
import { parseLabelSelector, SelectorParseError } from '../selectors/labels.ts';
import { badRequest, failure } from '../status.ts';
import { json, type KubeRequest, type KubeResponse } from './context.ts';

const GV = 'metrics.k8s.io/v1beta1';

/** metrics.k8s.io/v1beta1 as discovery lists it when a MetricsApi is wired in. */
export const metricsResources: ResourceDef[] = [
  resource({
    group: 'metrics.k8s.io',
    version: 'v1beta1',
    kind: 'NodeMetrics',
    plural: 'nodes',
    singular: '',
    namespaced: false,
    verbs: ['get', 'list'],
    virtual: true,
    storage: 'nodes.metrics.k8s.io',
  }),
  resource({
    group: 'metrics.k8s.io',
    version: 'v1beta1',
    kind: 'PodMetrics',
    plural: 'pods',
    singular: '',
    namespaced: true,
    verbs: ['get', 'list'],
    virtual: true,
    storage: 'pods.metrics.k8s.io',
  }),
];

/** Routes metrics reads to the autoscaling part's implementation and wraps lists. */
export async function handleMetrics(req: KubeRequest, api: MetricsApi): Promise<KubeResponse> {
  const which = req.def.plural as 'nodes' | 'pods';
  if (req.name) {
    const obj = await api.get(req.clusterId, which, req.namespace ?? '', req.name);
    if (!obj) {
      const id = which === 'pods' ? `${req.namespace}/${req.name}` : req.name;
      throw failure(404, 'NotFound', `${which === 'pods' ? 'podmetrics' : 'nodemetrics'}.metrics.k8s.io "${id}" not found`, {
        name: req.name,
        group: 'metrics.k8s.io',
        kind: which,
      });
    }
    return json(200, { ...obj, kind: req.def.kind, apiVersion: GV });
  }
  const labelSelector = req.query.get('labelSelector') ?? undefined;
  if (labelSelector) {
    try {
      parseLabelSelector(labelSelector);
    } catch (e) {
      if (e instanceof SelectorParseError) throw badRequest(e.message);
      throw e;
    }
  }
  const items = await api.list(req.clusterId, which, { namespace: req.namespace, labelSelector });
  return json(200, { kind: `${req.def.kind}List`, apiVersion: GV, metadata: {}, items });
}
