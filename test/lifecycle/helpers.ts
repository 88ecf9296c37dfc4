import type { Harness } from '../helpers/harness.ts';

/** A Deployment `web` with a Service and a PodDisruptionBudget, small enough for any test pool. */
export function workloadYaml(opts: { replicas: number; minAvailable: number }): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: ${opts.replicas}
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      terminationGracePeriodSeconds: 5
      containers:
      - name: web
        image: nginx:1.27
        ports: [{ containerPort: 80 }]
        resources: { requests: { cpu: 100m, memory: 64Mi } }
---
apiVersion: v1
kind: Service
metadata: { name: web }
spec:
  selector: { app: web }
  ports: [{ port: 80, targetPort: 80 }]
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: { name: web }
spec:
  minAvailable: ${opts.minAvailable}
  selector: { matchLabels: { app: web } }
`;
}

/** A cluster whose CREATE_CLUSTER operation has finished (RUNNING comes a moment before it), so the next change is not refused as concurrent. */
export async function settledCluster(h: Harness, token: string, body: Record<string, unknown>): Promise<any> {
  const r = await h.request('POST', '/v1/clusters', { token, body });
  if (r.status !== 202) throw new Error(`cluster creation failed: ${r.status} ${r.text}`);
  await h.waitFor(
    async () => (await h.request('GET', `/v1/operations/${r.body.operation.id}`, { token })).body.status === 'SUCCEEDED',
    `cluster ${r.body.id} provisioned`,
  );
  return (await h.request('GET', `/v1/clusters/${r.body.id}`, { token })).body;
}
