import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stepPod } from '../../../src/kubelet/step.ts';
import { cond, cstatus, fakeEnv, pod, runUntil, sec, T0 } from './fake-env.ts';

test('a bound pod is admitted, pulls its image, then runs and is ready', () => {
  const env = fakeEnv();
  const p = pod('web', {}, { 'kates.dev/image-pull-seconds': '3' });
  const first = stepPod(p, env, T0);
  assert.equal(first.pod.status.phase, 'Pending');
  assert.equal(first.pod.status.podIP, '10.244.1.2');
  assert.equal(first.pod.status.hostIP, '172.20.0.5');
  assert.equal(first.pod.status.startTime, '2026-01-01T00:00:00Z');
  assert.equal(first.pod.status.qosClass, 'BestEffort');
  assert.deepEqual(cstatus(first.pod).state, { waiting: { reason: 'ContainerCreating' } });
  assert.equal(cond(first.pod, 'PodReadyToStartContainers').status, 'True');
  assert.equal(cond(first.pod, 'Ready').reason, 'ContainersNotReady');
  assert.equal(first.nextAt, sec(3));
  assert.deepEqual(
    first.events.map((e) => e.reason),
    ['Pulling'],
  );

  const second = stepPod(first.pod, env, sec(3));
  const c = cstatus(second.pod);
  assert.equal(second.pod.status.phase, 'Running');
  assert.deepEqual(c.state, { running: { startedAt: '2026-01-01T00:00:03Z' } });
  assert.equal(c.ready, true);
  assert.equal(c.started, true);
  assert.equal(c.image, 'docker.io/library/nginx:1.27');
  assert.match(c.imageID, /^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/);
  assert.match(c.containerID, /^containerd:\/\/[0-9a-f]{64}$/);
  assert.equal(cond(second.pod, 'Ready').status, 'True');
  assert.equal(cond(second.pod, 'Ready').lastTransitionTime, '2026-01-01T00:00:03Z');
  assert.deepEqual(
    second.events.map((e) => `${e.reason}: ${e.message}`),
    [
      'Pulled: Successfully pulled image "nginx:1.27" in 3s (3s including waiting). Image size: ' +
        second.events[0].message.match(/(\d+) bytes/)![1] +
        ' bytes.',
      'Created: Created container: app',
      'Started: Started container app',
    ],
  );
  assert.equal(second.nextAt, undefined, 'nothing more is scheduled for a healthy pod');
  assert.deepEqual(second.pulled, ['docker.io/library/nginx:1.27']);

  // A step with nothing due changes nothing (no write).
  assert.equal(stepPod(second.pod, env, sec(100)).changed, false);
});

test('a crashing container restarts at once, then backs off 10 s, 20 s, 40 s (CrashLoopBackOff)', () => {
  const env = fakeEnv({ images: ['nginx:1.27'] });
  const p = pod('crash', {}, { 'kates.dev/crash-after-seconds': '5', 'kates.dev/exit-code': '3' });
  // Start at 0, crash at 5, restart at 5, crash at 10, back-off 10 s -> restart at 20, crash at 25, back-off 20 s -> restart 45.
  const atTen = runUntil(p, env, T0, sec(11)).pod;
  const c1 = cstatus(atTen);
  assert.equal(c1.restartCount, 1);
  assert.equal(c1.state.waiting.reason, 'CrashLoopBackOff');
  assert.equal(c1.state.waiting.message, 'back-off 10s restarting failed container=app pod=crash_default(uid-crash)');
  assert.deepEqual({ exitCode: c1.lastState.terminated.exitCode, reason: c1.lastState.terminated.reason }, { exitCode: 3, reason: 'Error' });
  assert.equal(atTen.status.phase, 'Running');
  assert.equal(cond(atTen, 'Ready').status, 'False');

  const later = runUntil(atTen, env, sec(11), sec(30));
  const c2 = cstatus(later.pod);
  assert.equal(c2.restartCount, 2);
  assert.equal(c2.state.waiting.message, 'back-off 20s restarting failed container=app pod=crash_default(uid-crash)');
  assert.ok(later.events.includes('BackOff: Back-off restarting failed container app in pod crash_default(uid-crash)'));
});

test('a clock jump replays every crash in between, each at its own time', () => {
  const env = fakeEnv({ images: ['nginx:1.27'] });
  const p = pod('jump', {}, { 'kates.dev/crash-after-seconds': '5' });
  const started = stepPod(p, env, T0).pod;
  // One step, ten minutes later: 0 +5 crash, restart; 10 crash (10 s) 20; 25 crash (20 s) 45; 50 crash (40 s) 90; 95 (80 s) 175; 180 (160 s) 340; 345 (300 s) 645.
  const r = stepPod(started, env, sec(600));
  const c = cstatus(r.pod);
  assert.equal(c.restartCount, 6);
  assert.equal(c.state.waiting.message, 'back-off 5m0s restarting failed container=app pod=jump_default(uid-jump)');
  assert.equal(c.lastState.terminated.finishedAt, '2026-01-01T00:05:45Z');
  assert.equal(r.nextAt, sec(645));
});

test('liveness failure: killed after failureThreshold probes, restarted, and killed again with back-off', () => {
  const env = fakeEnv({ images: ['nginx:1.27'] });
  const p = pod(
    'live',
    {
      containers: [
        {
          name: 'app',
          image: 'nginx:1.27',
          imagePullPolicy: 'IfNotPresent',
          livenessProbe: { httpGet: { path: '/', port: 80 }, periodSeconds: 5, failureThreshold: 3 },
        },
      ],
    },
    { 'kates.dev/fail-liveness-after-seconds': '12' },
  );
  // Probes at 0, 5, 10, 15, 20, 25: failing from 12 -> failures at 15, 20, 25 -> killed at 25, restarted at once.
  const r = runUntil(p, env, T0, sec(26));
  const c = cstatus(r.pod);
  assert.equal(c.restartCount, 1);
  assert.equal(c.lastState.terminated.exitCode, 137);
  assert.equal(c.lastState.terminated.finishedAt, '2026-01-01T00:00:25Z');
  assert.ok(r.events.includes('Unhealthy: Liveness probe failed: HTTP probe failed with statuscode: 500'));
  assert.ok(r.events.includes('Killing: Container app failed liveness probe, will be restarted'));
  // Second life: killed at 25 + 25 = 50, then back-off 10 s.
  const again = runUntil(r.pod, env, sec(26), sec(55));
  assert.equal(cstatus(again.pod).state.waiting.reason, 'CrashLoopBackOff');
  assert.equal(cstatus(again.pod).lastState.terminated.finishedAt, '2026-01-01T00:00:50Z');
});

test('readiness: not ready until ready-after-seconds, then the readiness toggle takes it out and back', () => {
  const env = fakeEnv({ images: ['nginx:1.27'] });
  const spec = {
    containers: [
      {
        name: 'app',
        image: 'nginx:1.27',
        imagePullPolicy: 'IfNotPresent',
        readinessProbe: { httpGet: { port: 80 }, periodSeconds: 10, failureThreshold: 2, successThreshold: 1 },
      },
    ],
  };
  const p = pod('ready', spec, { 'kates.dev/ready-after-seconds': '15' });
  let r = runUntil(p, env, T0, sec(19));
  assert.equal(cstatus(r.pod).ready, false);
  r = runUntil(r.pod, env, sec(19), sec(21));
  assert.equal(cstatus(r.pod).ready, true, 'ready at the probe at 20 s');
  assert.equal(cond(r.pod, 'Ready').lastTransitionTime, '2026-01-01T00:00:20Z');

  // kubectl annotate pod ready kates.dev/readiness=fail at 33 s: failures at 40 and 50 -> unready at 50.
  r.pod.metadata.annotations!['kates.dev/readiness'] = 'fail';
  let s = stepPod(r.pod, env, sec(33));
  assert.equal(s.nextAt, sec(50));
  s = stepPod(s.pod, env, sec(50));
  assert.equal(cstatus(s.pod).ready, false);
  assert.equal(cond(s.pod, 'Ready').status, 'False');
  assert.ok(s.events.some((e) => e.message === 'Readiness probe failed: HTTP probe failed with statuscode: 500'));

  // Back to pass at 61 s: ready again at the next probe (70 s).
  s.pod.metadata.annotations!['kates.dev/readiness'] = 'pass';
  s = stepPod(s.pod, env, sec(61));
  assert.equal(cstatus(s.pod).ready, false);
  assert.equal(s.nextAt, sec(70));
  s = stepPod(s.pod, env, sec(70));
  assert.equal(cstatus(s.pod).ready, true);
  assert.equal(s.pod.status.phase, 'Running');
});

test('startup probe holds started/ready until it passes', () => {
  const env = fakeEnv({ images: ['nginx:1.27'] });
  const spec = {
    containers: [
      { name: 'app', image: 'nginx:1.27', imagePullPolicy: 'IfNotPresent', startupProbe: { httpGet: { port: 80 }, periodSeconds: 10, failureThreshold: 30 } },
    ],
  };
  const r = runUntil(pod('slow', spec, { 'kates.dev/startup-seconds': '25' }), env, T0, sec(29));
  assert.equal(cstatus(r.pod).started, false);
  assert.equal(cstatus(r.pod).ready, false);
  const s = runUntil(r.pod, env, sec(29), sec(31));
  assert.equal(cstatus(s.pod).started, true);
  assert.equal(cstatus(s.pod).ready, true);
});
