import { test } from 'node:test';
import assert from 'node:assert/strict';
import { humanDuration } from '../../../src/kube/tables/format.ts';
import { podPrinter, podStatusText } from '../../../src/kube/tables/pods.ts';
import { deploymentPrinter, jobPrinter } from '../../../src/kube/tables/workloads.ts';
import { servicePrinter, nodePrinter, eventPrinter } from '../../../src/kube/tables/core.ts';
import { hpaPrinter, storageClassPrinter } from '../../../src/kube/tables/other.ts';
import { toTable } from '../../../src/kube/tables/table.ts';

const NOW = Date.parse('2026-01-10T12:00:00Z');
const ago = (s: number) => new Date(NOW - s * 1000).toISOString().replace('.000Z', 'Z');
const S = 1000;

test('ages print like kubectl', () => {
  const cases: Array<[number, string]> = [
    [0, '0s'],
    [45 * S, '45s'],
    [119 * S, '119s'],
    [125 * S, '2m5s'],
    [5 * 60 * S, '5m'],
    [12 * 60 * S, '12m'],
    [179 * 60 * S, '179m'],
    [3 * 3600 * S + 20 * 60 * S, '3h20m'],
    [9 * 3600 * S, '9h'],
    [47 * 3600 * S, '47h'],
    [2 * 86400 * S + 3 * 3600 * S, '2d3h'],
    [10 * 86400 * S, '10d'],
    [800 * 86400 * S, '2y70d'],
    [-5 * S, '<invalid>'],
  ];
  for (const [ms, text] of cases) assert.equal(humanDuration(ms), text, String(ms));
});

const pod = (status: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', creationTimestamp: ago(300), ...extra },
    spec: { containers: [{ name: 'a' }, { name: 'b' }], initContainers: [{ name: 'init' }] },
    status,
  }) as any;

test('pod STATUS follows kubectl: init progress, waiting reasons, terminating', () => {
  assert.equal(podStatusText(pod({ phase: 'Pending' })), 'Pending');
  assert.equal(podStatusText(pod({ phase: 'Pending', initContainerStatuses: [{ name: 'init', state: { running: {} } }] })), 'Init:0/1');
  assert.equal(
    podStatusText(pod({ phase: 'Pending', initContainerStatuses: [{ name: 'init', state: { waiting: { reason: 'CrashLoopBackOff' } } }] })),
    'Init:CrashLoopBackOff',
  );
  const done = [{ name: 'init', state: { terminated: { exitCode: 0, reason: 'Completed' } } }];
  assert.equal(
    podStatusText(
      pod({
        phase: 'Running',
        initContainerStatuses: done,
        containerStatuses: [
          { name: 'a', state: { waiting: { reason: 'CrashLoopBackOff' } } },
          { name: 'b', ready: true, state: { running: {} } },
        ],
      }),
    ),
    'CrashLoopBackOff',
  );
  assert.equal(
    podStatusText(pod({ phase: 'Running', initContainerStatuses: done, containerStatuses: [{ name: 'a', ready: true, state: { running: {} } }] })),
    'Running',
  );
  assert.equal(podStatusText(pod({ phase: 'Failed', reason: 'Evicted' })), 'Evicted');
  assert.equal(podStatusText(pod({ phase: 'Running' }, { deletionTimestamp: ago(1) })), 'Terminating');
  assert.equal(podStatusText(pod({ phase: 'Succeeded' }, { deletionTimestamp: ago(1) })), 'Succeeded');
});

test('pod row: ready count, restarts with the last restart age, wide columns', () => {
  const p = pod({
    phase: 'Running',
    podIP: '10.244.1.5',
    containerStatuses: [
      { name: 'a', ready: true, restartCount: 3, state: { running: {} }, lastState: { terminated: { finishedAt: ago(42) } } },
      { name: 'b', ready: false, restartCount: 0, state: { running: {} } },
    ],
  });
  p.spec.nodeName = 'node-1';
  assert.deepEqual(podPrinter.cells(p, NOW), ['p', '1/2', 'Running', '3 (42s ago)', '5m', '10.244.1.5', 'node-1', '<none>', '<none>']);
  const table = toTable(podPrinter, [p], NOW, { resourceVersion: '7' });
  assert.deepEqual(
    table.columnDefinitions.filter((c) => !c.priority).map((c) => c.name),
    ['Name', 'Ready', 'Status', 'Restarts', 'Age'],
  );
  assert.equal((table.rows[0].object as any).kind, 'PartialObjectMetadata');
});

test('deployment, service, node, job and hpa rows', () => {
  const d = {
    metadata: { name: 'web', creationTimestamp: ago(60) },
    spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
    status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
  } as any;
  assert.deepEqual(deploymentPrinter.cells(d, NOW), ['web', '2/3', 3, 2, '60s', 'c', 'nginx', 'app=web']);
  const svc = {
    metadata: { name: 's', creationTimestamp: ago(10) },
    spec: {
      type: 'LoadBalancer',
      clusterIP: '10.96.0.20',
      ports: [
        { port: 80, nodePort: 31380, protocol: 'TCP' },
        { port: 443, protocol: 'TCP' },
      ],
      selector: { app: 'web' },
    },
    status: { loadBalancer: {} },
  } as any;
  assert.deepEqual(servicePrinter.cells(svc, NOW).slice(0, 5), ['s', 'LoadBalancer', '10.96.0.20', '<pending>', '80:31380/TCP,443/TCP']);
  const node = {
    metadata: { name: 'n1', creationTimestamp: ago(7200), labels: { 'node-role.kubernetes.io/control-plane': '' } },
    spec: { unschedulable: true },
    status: { conditions: [{ type: 'Ready', status: 'True' }], nodeInfo: { kubeletVersion: 'v1.32.0' } },
  } as any;
  assert.deepEqual(nodePrinter.cells(node, NOW).slice(0, 5), ['n1', 'Ready,SchedulingDisabled', 'control-plane', '120m', 'v1.32.0']);
  const job = {
    metadata: { name: 'j', creationTimestamp: ago(100) },
    spec: { completions: 3 },
    status: { succeeded: 3, startTime: ago(100), completionTime: ago(40), conditions: [{ type: 'Complete', status: 'True' }] },
  } as any;
  assert.deepEqual(jobPrinter.cells(job, NOW).slice(0, 4), ['j', 'Complete', '3/3', '60s']);
  const hpa = {
    metadata: { name: 'h', creationTimestamp: ago(5) },
    spec: {
      scaleTargetRef: { kind: 'Deployment', name: 'web' },
      minReplicas: 2,
      maxReplicas: 10,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }],
    },
    status: { currentReplicas: 4, currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 250 } } }] },
  } as any;
  assert.deepEqual(hpaPrinter.cells(hpa, NOW), ['h', 'Deployment/web', 'cpu: 250%/50%', '2', 10, 4, '5s']);
});

test('storage class default marker and event object column', () => {
  const sc = {
    metadata: { name: 'slow', creationTimestamp: ago(1), annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
    provisioner: 'kubernetes.io/gce-pd',
  } as any;
  assert.equal(storageClassPrinter.cells(sc, NOW)[0], 'slow (default)');
  const ev = {
    metadata: { name: 'e1' },
    involvedObject: { kind: 'Pod', name: 'web-0' },
    type: 'Warning',
    reason: 'FailedScheduling',
    message: ' 0/3 nodes are available ',
    lastTimestamp: ago(30),
    firstTimestamp: ago(90),
    count: 2,
  } as any;
  const cells = eventPrinter.cells(ev, NOW);
  assert.deepEqual(
    [cells[0], cells[1], cells[2], cells[3], cells[6], cells[8]],
    ['30s', 'Warning', 'FailedScheduling', 'pod/web-0', '0/3 nodes are available', 2],
  );
});
