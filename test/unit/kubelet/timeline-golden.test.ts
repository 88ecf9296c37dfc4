import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stepPod } from '../../../src/kubelet/step.ts';
import type { KubeObject } from '../../../src/kube/types.ts';
import { fakeEnv, pod, sec, T0 } from './fake-env.ts';

/** Steps a pod at each scheduled transition and writes one line per change: the golden timeline. */
function timeline(p: KubeObject, until: number, env = fakeEnv({ images: ['busybox:1.36'] })): string[] {
  const lines: string[] = [];
  let current = p;
  let t = T0;
  for (let guard = 0; guard < 100; guard++) {
    const r = stepPod(current, env, t);
    current = r.pod;
    if (r.changed) lines.push(`${(t - T0) / 1000}s ${summary(current)}`);
    if (r.remove || r.nextAt === undefined || r.nextAt > until) break;
    t = r.nextAt;
  }
  return lines;
}

function summary(p: KubeObject): string {
  const state = (s: { state: Record<string, { reason?: string }>; ready: boolean; restartCount: number; name: string }) => {
    const [k, v] = Object.entries(s.state)[0];
    return `${s.name}=${v.reason ?? k}${s.ready ? '+ready' : ''}${s.restartCount ? `#${s.restartCount}` : ''}`;
  };
  const all = [...(p.status.initContainerStatuses ?? []), ...(p.status.containerStatuses ?? [])].map(state);
  const ready = p.status.conditions.find((c: { type: string }) => c.type === 'Ready').status;
  return `${p.status.phase} Ready=${ready} ${all.join(' ')}`;
}

test('golden: init container, slow readiness, crash loop', () => {
  const p = pod(
    'golden',
    {
      initContainers: [{ name: 'init', image: 'busybox:1.36', imagePullPolicy: 'IfNotPresent', command: ['sleep', '3'] }],
      containers: [{ name: 'app', image: 'busybox:1.36', imagePullPolicy: 'IfNotPresent', readinessProbe: { exec: { command: ['true'] }, periodSeconds: 5 } }],
    },
    { 'kates.dev/ready-after-seconds': '7', 'kates.dev/crash-after-seconds': '20' },
  );
  assert.deepEqual(timeline(p, sec(80)), [
    '0s Pending Ready=False init=running app=PodInitializing',
    '3s Running Ready=False init=Completed+ready app=running',
    '13s Running Ready=True init=Completed+ready app=running+ready',
    '23s Running Ready=False init=Completed+ready app=running#1',
    '33s Running Ready=True init=Completed+ready app=running+ready#1',
    '43s Running Ready=False init=Completed+ready app=CrashLoopBackOff#1',
    '53s Running Ready=False init=Completed+ready app=running#2',
    '63s Running Ready=True init=Completed+ready app=running+ready#2',
    '73s Running Ready=False init=Completed+ready app=CrashLoopBackOff#2',
  ]);
});

test('golden: a Job pod with restartPolicy Never runs and completes', () => {
  const p = pod(
    'job',
    { restartPolicy: 'Never', containers: [{ name: 'work', image: 'busybox:1.36', imagePullPolicy: 'IfNotPresent' }] },
    { 'kates.dev/run-seconds': '30' },
  );
  assert.deepEqual(timeline(p, sec(100)), ['0s Running Ready=True work=running+ready', '30s Succeeded Ready=False work=Completed']);
});
