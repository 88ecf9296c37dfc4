import { stringify } from 'yaml';
import type { ClusterRow } from './internal.ts';
import { kubeServerUrl } from '../../kube/pathless.ts';

/**
 * A kubeconfig for one cluster: a server without a path, as managed clusters give (the cluster's
 * own host under KUBE_CLUSTER_DOMAIN, else the service root, where the token tells the cluster),
 * the CA when it is ours, a bearer token.
 */
export function renderKubeconfig(
  cluster: ClusterRow,
  opts: { publicUrl: string; token: string; caCert?: string; user?: string; clusterDomain?: string },
): string {
  const name = `kates-${cluster.name}`;
  const user = opts.user ?? `${name}-admin`;
  const clusterEntry: Record<string, string> = { server: kubeServerUrl(opts.publicUrl, cluster.id, opts.clusterDomain) };
  if (opts.caCert) clusterEntry['certificate-authority-data'] = btoa(opts.caCert);
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': name,
    clusters: [{ name, cluster: clusterEntry }],
    users: [{ name: user, user: { token: opts.token } }],
    contexts: [{ name, context: { cluster: name, user, namespace: 'default' } }],
    preferences: {},
  });
}
