import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { kubeTestApp } from './helpers/app.ts';
import { garbage, hostileValues, mutated, pathsOf } from '../helpers/hostile-input.ts';

/**
 * Generated writes against the Kubernetes API (the app as the service mounts it, over a real SQLite
 * store): creates, updates, status updates, every patch type and scale, on several kinds, with
 * bodies that are valid objects with one field replaced by something hostile, random JSON Patch
 * operations, or bytes that are not JSON at all. Whatever the input, the answer is below 500.
 */

interface Kind {
  /** The collection path in namespace `default` (or at the cluster scope). */
  path: string;
  /** The stored object that updates and patches target (kinds that share storage need their own). */
  name: string;
  seed: () => Record<string, unknown>;
}

const podSpec = () => ({
  containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '1' } }, ports: [{ containerPort: 80 }] }],
});
const template = () => ({ metadata: { labels: { app: 'f' } }, spec: podSpec() });
const selector = () => ({ matchLabels: { app: 'f' } });

const KIND_LIST: Omit<Kind, 'name'>[] = [
  { path: '/api/v1/namespaces/default/configmaps', seed: () => ({ apiVersion: 'v1', kind: 'ConfigMap', data: { a: 'b' }, binaryData: { c: 'ZA==' } }) },
  {
    path: '/api/v1/namespaces/default/secrets',
    seed: () => ({ apiVersion: 'v1', kind: 'Secret', type: 'Opaque', data: { a: 'Yg==' }, stringData: { c: 'd' } }),
  },
  { path: '/api/v1/namespaces/default/pods', seed: () => ({ apiVersion: 'v1', kind: 'Pod', spec: podSpec() }) },
  {
    path: '/api/v1/namespaces/default/services',
    seed: () => ({ apiVersion: 'v1', kind: 'Service', spec: { selector: { app: 'f' }, ports: [{ port: 80, targetPort: 8080 }] } }),
  },
  {
    path: '/api/v1/namespaces/default/resourcequotas',
    seed: () => ({ apiVersion: 'v1', kind: 'ResourceQuota', spec: { hard: { pods: '1000', 'requests.cpu': '1000' } } }),
  },
  {
    path: '/api/v1/namespaces/default/limitranges',
    seed: () => ({ apiVersion: 'v1', kind: 'LimitRange', spec: { limits: [{ type: 'Container', default: { cpu: '200m' }, max: { cpu: '64' } }] } }),
  },
  {
    path: '/api/v1/namespaces/default/persistentvolumeclaims',
    seed: () => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }),
  },
  { path: '/api/v1/namespaces', seed: () => ({ apiVersion: 'v1', kind: 'Namespace' }) },
  {
    path: '/apis/apps/v1/namespaces/default/deployments',
    seed: () => ({ apiVersion: 'apps/v1', kind: 'Deployment', spec: { replicas: 0, selector: selector(), template: template() } }),
  },
  {
    path: '/apis/apps/v1/namespaces/default/statefulsets',
    seed: () => ({ apiVersion: 'apps/v1', kind: 'StatefulSet', spec: { replicas: 0, serviceName: 'f', selector: selector(), template: template() } }),
  },
  {
    path: '/apis/batch/v1/namespaces/default/cronjobs',
    seed: () => ({
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      spec: { schedule: '*/5 * * * *', suspend: true, jobTemplate: { spec: { template: { spec: { ...podSpec(), restartPolicy: 'Never' } } } } },
    }),
  },
  {
    path: '/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers',
    seed: () => ({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'seed' },
        minReplicas: 1,
        maxReplicas: 3,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }],
      },
    }),
  },
  {
    path: '/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers',
    seed: () => ({
      apiVersion: 'autoscaling/v1',
      kind: 'HorizontalPodAutoscaler',
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'seed' }, maxReplicas: 3, targetCPUUtilizationPercentage: 50 },
    }),
  },
  {
    path: '/apis/apps/v1/namespaces/default/daemonsets',
    seed: () => ({ apiVersion: 'apps/v1', kind: 'DaemonSet', spec: { selector: selector(), template: template() } }),
  },
  {
    path: '/apis/apps/v1/namespaces/default/replicasets',
    seed: () => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', spec: { replicas: 0, selector: selector(), template: template() } }),
  },
  {
    path: '/apis/batch/v1/namespaces/default/jobs',
    seed: () => ({
      apiVersion: 'batch/v1',
      kind: 'Job',
      spec: { suspend: true, backoffLimit: 1, template: { spec: { ...podSpec(), restartPolicy: 'Never' } } },
    }),
  },
  {
    path: '/apis/policy/v1/namespaces/default/poddisruptionbudgets',
    seed: () => ({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', spec: { minAvailable: 1, selector: selector() } }),
  },
  {
    path: '/apis/autoscaling.k8s.io/v1/namespaces/default/verticalpodautoscalers',
    seed: () => ({
      apiVersion: 'autoscaling.k8s.io/v1',
      kind: 'VerticalPodAutoscaler',
      spec: { targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'seed' }, updatePolicy: { updateMode: 'Off' } },
    }),
  },
  {
    path: '/api/v1/namespaces/default/events',
    seed: () => ({
      apiVersion: 'v1',
      kind: 'Event',
      involvedObject: { kind: 'Pod', name: 'seed', namespace: 'default' },
      reason: 'R',
      message: 'm',
      type: 'Normal',
      count: 1,
    }),
  },
  {
    path: '/api/v1/namespaces/default/endpoints',
    seed: () => ({ apiVersion: 'v1', kind: 'Endpoints', subsets: [{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 80 }] }] }),
  },
  { path: '/api/v1/namespaces/default/serviceaccounts', seed: () => ({ apiVersion: 'v1', kind: 'ServiceAccount', imagePullSecrets: [{ name: 'x' }] }) },
  {
    path: '/apis/scheduling.k8s.io/v1/priorityclasses',
    seed: () => ({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', value: 1000, description: 'd' }),
  },
  {
    path: '/apis/storage.k8s.io/v1/storageclasses',
    seed: () => ({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', provisioner: 'kates.io/disk', parameters: { type: 'ssd' } }),
  },
  {
    path: '/apis/coordination.k8s.io/v1/namespaces/default/leases',
    seed: () => ({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', spec: { holderIdentity: 'x', leaseDurationSeconds: 10 } }),
  },
  {
    path: '/api/v1/persistentvolumes',
    seed: () => ({
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/x' } },
    }),
  },
  {
    path: '/api/v1/namespaces/default/replicationcontrollers',
    seed: () => ({ apiVersion: 'v1', kind: 'ReplicationController', spec: { replicas: 0, selector: { app: 'f' }, template: template() } }),
  },
  { path: '/api/v1/namespaces/default/podtemplates', seed: () => ({ apiVersion: 'v1', kind: 'PodTemplate', template: template() }) },
  {
    path: '/apis/networking.k8s.io/v1/namespaces/default/ingresses',
    seed: () => ({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      spec: {
        ingressClassName: 'x',
        rules: [{ host: 'a.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'f', port: { number: 80 } } } }] } }],
        tls: [{ hosts: ['a.example.com'], secretName: 's' }],
      },
    }),
  },
  {
    path: '/apis/networking.k8s.io/v1/ingressclasses',
    seed: () => ({ apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', spec: { controller: 'example.com/x', parameters: { kind: 'K', name: 'n' } } }),
  },
  {
    path: '/apis/networking.k8s.io/v1/namespaces/default/networkpolicies',
    seed: () => ({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      spec: {
        podSelector: selector(),
        ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }, { podSelector: selector() }], ports: [{ port: 80, endPort: 90 }] }],
        egress: [{ to: [{ namespaceSelector: {} }] }],
      },
    }),
  },
  {
    path: '/api/v1/nodes',
    seed: () => ({
      apiVersion: 'v1',
      kind: 'Node',
      spec: { taints: [{ key: 'k', effect: 'NoSchedule' }] },
      status: { capacity: { cpu: '2', memory: '4Gi', pods: '110' }, allocatable: { cpu: '2', memory: '4Gi', pods: '110' } },
    }),
  },
];
const KINDS: Kind[] = KIND_LIST.map((k, i) => ({ ...k, name: `seed-${i}` }));

/** Field names of the kinds above, so generated objects get past the first type check. */
const FIELDS = [
  '$patch',
  'spec',
  'status',
  'metadata',
  'name',
  'labels',
  'annotations',
  'template',
  'containers',
  'initContainers',
  'image',
  'resources',
  'requests',
  'limits',
  'cpu',
  'memory',
  'ports',
  'port',
  'containerPort',
  'selector',
  'matchLabels',
  'matchExpressions',
  'replicas',
  'data',
  'type',
  'hard',
  'scopeSelector',
  'volumes',
  'env',
  'affinity',
  'tolerations',
  'ownerReferences',
  'finalizers',
  'strategy',
  'rollingUpdate',
  'maxSurge',
  'metrics',
  'target',
  'behavior',
  'scaleUp',
  'policies',
  'conditions',
  'subsets',
  'addresses',
  'capacity',
  'allocatable',
  'taints',
  'jobTemplate',
  'schedule',
  'rules',
  'http',
  'paths',
  'path',
  'pathType',
  'backend',
  'service',
  'number',
  'defaultBackend',
  'tls',
  'hosts',
  'ingress',
  'egress',
  'from',
  'to',
  'ipBlock',
  'cidr',
  'except',
  'podSelector',
  'policyTypes',
  'endPort',
  'controller',
  'parameters',
];
const hostile = hostileValues(FIELDS);
const EXTRA_KEYS = ['spec', 'status', 'metadata', 'data', 'x', '$patch', '$retainKeys'];

const pointer = (seed: Record<string, unknown>) =>
  fc.oneof(
    fc.nat().map((n) => {
      const paths = pathsOf(seed);
      return '/' + paths[n % paths.length].map((k) => String(k).replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
    }),
    fc.constantFrom(
      '',
      '/',
      '/spec/-',
      '/metadata/labels/a~1b',
      '/__proto__',
      '/__proto__/polluted',
      '/constructor/prototype/polluted',
      '/spec/template/spec/containers/99',
      '/metadata/name',
      'no-slash',
    ),
  );

const jsonPatchOps = (seed: Record<string, unknown>) =>
  fc.array(
    fc.record(
      { op: fc.constantFrom('add', 'remove', 'replace', 'move', 'copy', 'test', 'bogus'), path: pointer(seed), from: pointer(seed), value: hostile },
      { requiredKeys: ['op', 'path'] },
    ),
    { minLength: 1, maxLength: 3 },
  );

type Verb = 'create' | 'update' | 'status' | 'json' | 'merge' | 'strategic' | 'apply' | 'scale';
const PATCH_TYPES: Record<string, string> = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
};

interface Generated {
  kind: Kind;
  verb: Verb;
  body: unknown;
  raw: boolean;
  name: number;
  /** Media type of a create or update body. */
  media: string;
  /** fieldValidation and dryRun, which take other paths through the write. */
  query: string;
}

const MEDIA = fc.constantFrom('application/json', 'application/json', 'application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf');
const QUERY = fc.constantFrom('', '', '', 'fieldValidation=Strict', 'fieldValidation=Warn', 'dryRun=All');

const request: fc.Arbitrary<Generated> = fc
  .record({
    kind: fc.constantFrom(...KINDS),
    verb: fc.constantFrom<Verb>('create', 'update', 'status', 'json', 'merge', 'strategic', 'apply', 'scale'),
    raw: fc.nat(9),
    name: fc.nat(),
    media: MEDIA,
    query: QUERY,
  })
  .chain(({ kind, verb, raw, name, media, query }) => {
    const seed = { ...kind.seed(), metadata: { name: kind.name, labels: { app: 'f' } } };
    const body = raw === 0 ? garbage : verb === 'json' ? jsonPatchOps(seed) : mutated(seed, hostile, EXTRA_KEYS);
    return body.map((b) => ({ kind, verb, body: b, raw: raw === 0, name, media, query }));
  });

test('generated creates, updates and patches of several kinds never answer 5xx', async () => {
  const k = await kubeTestApp();
  for (const kind of KINDS) {
    const r = await k.json('POST', kind.path, { body: { ...kind.seed(), metadata: { name: kind.name, labels: { app: 'f' } } } });
    assert.equal(r.status, 201, `${kind.path}: ${JSON.stringify(r.body)}`);
  }
  const counts = new Map<string, number>();
  let n = 0;
  await fc.assert(
    fc.asyncProperty(request, async ({ kind, verb, body, raw, name, media, query }) => {
      n++;
      let method = 'PATCH';
      let path = `${kind.path}/${kind.name}`;
      let contentType = PATCH_TYPES[verb] ?? media;
      if (verb === 'create') {
        method = 'POST';
        path = kind.path;
        // A fresh name for most creates, so they get past "already exists" to admission.
        if (!raw && body && typeof body === 'object' && !Array.isArray(body)) {
          const meta = (body as { metadata?: unknown }).metadata;
          if (meta && typeof meta === 'object' && (meta as { name?: unknown }).name === kind.name) (meta as { name: string }).name = `f${name}-${n}`;
        }
      } else if (verb === 'update') method = 'PUT';
      else if (verb === 'status') {
        method = name % 2 ? 'PUT' : 'PATCH';
        path = `${kind.path}/${kind.name}/status`;
        if (method === 'PATCH') contentType = PATCH_TYPES.merge;
      } else if (verb === 'scale') {
        path = `${kind.path}/${kind.name}/scale`;
        contentType = PATCH_TYPES.merge;
      }
      const params = [verb === 'apply' ? 'fieldManager=fuzz&force=true' : '', query].filter(Boolean).join('&');
      if (params) path += `?${params}`;
      const payload = body instanceof Uint8Array || typeof body === 'string' ? body : JSON.stringify(body);
      const res = await k.call(method, path, { raw: payload, contentType });
      const text = await res.text();
      assert.ok(res.status < 500, `${method} ${path} (${contentType}) → ${res.status}: ${text.slice(0, 400)}\nbody: ${String(payload).slice(0, 400)}`);
      const key = `${verb}:${Math.floor(res.status / 100)}xx`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }),
    { numRuns: Number(process.env.FUZZ_RUNS ?? 2400) },
  );
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  // The generator reaches the write paths, not only the parsers: every verb succeeds now and then.
  for (const verb of ['create', 'update', 'status', 'json', 'merge', 'strategic', 'apply', 'scale']) {
    assert.ok((counts.get(`${verb}:2xx`) ?? 0) > 0, `no ${verb} succeeded: ${JSON.stringify([...counts])}`);
  }
});
