import { stringify } from 'yaml';
import type { ClusterRow } from './internal.ts';

/** A kubeconfig for one cluster: server URL with the cluster path, the CA when it is ours, a bearer token. */
export function renderKubeconfig(cluster: ClusterRow, opts: { publicUrl: string; token: string; caCert?: string; user?: string }): string {
  const name = `kates-${cluster.name}`;
  const user = opts.user ?? `${name}-admin`;
  const clusterEntry: Record<string, string> = { server: `${opts.publicUrl}/clusters/${cluster.id}/k8s` };
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
