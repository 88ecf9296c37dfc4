import type { KubeObject } from '../../src/kube/types.ts';

/** The known-usage workload of the monitoring tests: each replica requests 500m / 256Mi and declares
 * 250m / 128Mi of usage, so CPU utilization of requests is 50%. */
export function webDeployment(replicas: number): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: {
          labels: { app: 'web' },
          annotations: {
            'kates.dev/cpu-usage': '250m',
            'kates.dev/memory-usage': '128Mi',
            'kates.dev/image-pull-seconds': '0',
            'kates.dev/ready-after-seconds': '0',
          },
        },
        spec: { containers: [{ name: 'app', image: 'nginx:1.27', resources: { requests: { cpu: '500m', memory: '256Mi' } } }] },
      },
    },
  };
}

/** An HPA on `web` with a CPU utilization target; at the declared 50% a 25% target doubles the replicas
 * (up to `maxReplicas`) and a 50% target keeps them. The HPA controller writes its status. */
export function webHpa(maxReplicas: number, targetUtilization: number): KubeObject {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      minReplicas: 1,
      maxReplicas,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: targetUtilization } } }],
    },
  };
}
