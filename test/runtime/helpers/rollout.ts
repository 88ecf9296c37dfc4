import { call, type ServiceProcess } from './service-process.ts';
import { waitFor } from '../../helpers/wait.ts';

/** A RUNNING cluster and a token for its Kubernetes API (taken from its kubeconfig). */
export async function runningCluster(svc: ServiceProcess, token: string, timeScale = 1): Promise<{ id: string; clusterToken: string }> {
  const created = await call(svc.url!, 'POST', '/v1/clusters', {
    token,
    body: {
      name: `c-${Date.now().toString(36)}`,
      provider: 'eks',
      region: 'us-east-1',
      timeScale,
      nodePools: [{ name: 'default', instanceType: 'm5.large', count: 3 }],
    },
  });
  if (created.status !== 202) throw new Error(`create: ${created.status} ${JSON.stringify(created.body)}`);
  const id = created.body.id as string;
  await waitFor(async () => (await call(svc.url!, 'GET', `/v1/clusters/${id}`, { token })).body.status === 'RUNNING', `${id} RUNNING`, 60_000);
  const kubeconfig = (await call(svc.url!, 'GET', `/v1/clusters/${id}/kubeconfig`, { token })).body as string;
  return { id, clusterToken: /token: (\S+)/.exec(kubeconfig)![1] };
}

export const deploymentsPath = (clusterId: string) => `/clusters/${clusterId}/k8s/apis/apps/v1/namespaces/default/deployments`;

export async function createDeployment(
  svc: ServiceProcess,
  clusterId: string,
  clusterToken: string,
  name: string,
  replicas: number,
  image: string,
): Promise<void> {
  const r = await call(svc.url!, 'POST', deploymentsPath(clusterId), {
    token: clusterToken,
    body: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name },
      spec: {
        replicas,
        selector: { matchLabels: { app: name } },
        template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image }] } },
      },
    },
  });
  if (r.status !== 201) throw new Error(`create deployment: ${r.status} ${JSON.stringify(r.body)}`);
}

export async function setImage(svc: ServiceProcess, clusterId: string, clusterToken: string, name: string, image: string): Promise<void> {
  const r = await call(svc.url!, 'PATCH', `${deploymentsPath(clusterId)}/${name}`, {
    token: clusterToken,
    contentType: 'application/merge-patch+json',
    body: { spec: { template: { spec: { containers: [{ name: 'app', image }] } } } },
  });
  if (r.status !== 200) throw new Error(`patch deployment: ${r.status} ${JSON.stringify(r.body)}`);
}

/** Waits for what `kubectl rollout status` checks, then returns the Deployment and its running pods' images. */
export async function rolledOut(svc: ServiceProcess, clusterId: string, clusterToken: string, name: string, image: string, timeoutMs = 60_000) {
  return waitFor(
    async () => {
      const d = (await call(svc.url!, 'GET', `${deploymentsPath(clusterId)}/${name}`, { token: clusterToken })).body;
      const s = d.status ?? {};
      const done =
        d.spec.template.spec.containers[0].image === image &&
        (s.observedGeneration ?? 0) >= d.metadata.generation &&
        s.updatedReplicas === d.spec.replicas &&
        s.replicas === d.spec.replicas &&
        s.availableReplicas === d.spec.replicas;
      if (!done) return undefined;
      const pods = (
        await call(svc.url!, 'GET', `/clusters/${clusterId}/k8s/api/v1/namespaces/default/pods?labelSelector=app%3D${name}`, { token: clusterToken })
      ).body.items as any[];
      const live = pods.filter((p) => !p.metadata.deletionTimestamp);
      if (live.length !== d.spec.replicas) return undefined;
      return { deployment: d, images: live.map((p) => p.spec.containers[0].image as string) };
    },
    `deployment ${name} rolled out to ${image}`,
    timeoutMs,
    200,
  );
}

/** The newest node lease renewal (cluster time): periodic work (heartbeats) moves it on. */
export async function newestLeaseRenewal(svc: ServiceProcess, clusterId: string, clusterToken: string): Promise<number> {
  const leases = (
    await call(svc.url!, 'GET', `/clusters/${clusterId}/k8s/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases`, { token: clusterToken })
  ).body.items as any[];
  return Math.max(0, ...leases.map((l) => Date.parse(l.spec.renewTime)));
}
