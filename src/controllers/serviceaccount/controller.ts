import type { KubeObject } from '../../kube/types.ts';
import type { Controller } from '../runtime.ts';
import { CreateAdmission } from '../shared/admission.ts';
import { listCached } from '../shared/object-cache.ts';
import { Pass } from '../shared/pass.ts';
import { ROOT_CA_CONFIGMAP, rootCaCert } from './root-ca.ts';

const DEFAULT_SA = 'default';

function defaultServiceAccount(namespace: string): KubeObject {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: DEFAULT_SA, namespace } };
}

function rootCaConfigMap(namespace: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: ROOT_CA_CONFIGMAP,
      namespace,
      annotations: {
        'kubernetes.io/description':
          'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.',
      },
    },
    data: { 'ca.crt': rootCaCert() },
  };
}

/**
 * What upstream's serviceaccounts-controller and root-ca-cert-publisher do: every active namespace
 * has a `default` ServiceAccount and a `kube-root-ca.crt` ConfigMap holding the cluster's CA,
 * created through the same admission as a client's create, put back when deleted, and the
 * ConfigMap's CA kept current.
 */
export const serviceAccountController: Controller = {
  name: 'serviceaccount',
  watches: ['namespaces', 'serviceaccounts', 'configmaps'],
  async reconcile(ctx) {
    const pass = new Pass(ctx, 'serviceaccount-controller');
    const admission = new CreateAdmission(ctx.store, ctx.clusterId);
    const active = (await listCached(ctx, 'namespaces')).filter((n) => !n.metadata.deletionTimestamp && n.status?.phase !== 'Terminating');
    // Read through the pass cache: a pass runs on every ConfigMap write, so it must not re-read them all.
    const defaults = new Set((await listCached(ctx, 'serviceaccounts')).filter((sa) => sa.metadata.name === DEFAULT_SA).map((sa) => sa.metadata.namespace));
    const rootCas = new Map(
      (await listCached(ctx, 'configmaps')).filter((cm) => cm.metadata.name === ROOT_CA_CONFIGMAP).map((cm) => [cm.metadata.namespace, cm]),
    );
    for (const ns of active) {
      if (pass.exhausted) break;
      const name = ns.metadata.name!;
      const wanted: Array<{ resource: string; object: KubeObject }> = [];
      if (!defaults.has(name)) wanted.push({ resource: 'serviceaccounts', object: defaultServiceAccount(name) });
      const cm = rootCas.get(name);
      if (!cm) wanted.push({ resource: 'configmaps', object: rootCaConfigMap(name) });
      else if ((cm.data as Record<string, string> | undefined)?.['ca.crt'] !== rootCaCert() && !cm.metadata.deletionTimestamp) {
        await pass.attempt(() =>
          ctx.store.update(ctx.clusterId, 'configmaps', { ...cm, data: { ...((cm.data as Record<string, string>) ?? {}), 'ca.crt': rootCaCert() } }),
        );
      }
      const admitted: KubeObject[] = [];
      for (const w of wanted) {
        const refused = await admission.admit(w.resource, w.object);
        if (refused) ctx.log.debug({ namespace: name, refused }, 'namespace bootstrap object refused');
        else admitted.push(w.object);
      }
      if (!admitted.length) continue;
      let stored: KubeObject[] | undefined;
      try {
        const ops = await admission.createOps(admitted);
        stored = await pass.attempt(() => ctx.store.commit(ctx.clusterId, ops), admitted.length);
      } finally {
        await admission.settle(admitted, stored);
      }
    }
    return pass.result();
  },
};
