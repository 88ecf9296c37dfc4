import { test } from 'node:test';
import assert from 'node:assert/strict';
import { podLogLines } from '../../../src/kubelet/logs.ts';
import { fakeEnv, pod, runUntil, sec, T0 } from './fake-env.ts';

test('logs show the start, probe results and the crash reason; -p shows the previous instance', () => {
  const env = fakeEnv({ images: ['nginx:1.27'] });
  const spec = {
    containers: [{ name: 'app', image: 'nginx:1.27', imagePullPolicy: 'IfNotPresent', readinessProbe: { httpGet: { port: 80 }, periodSeconds: 5 } }],
  };
  const p = runUntil(pod('web', spec, { 'kates.dev/crash-after-seconds': '12', 'kates.dev/exit-code': '2' }), env, T0, sec(14)).pod;
  const current = podLogLines(p, 'app', { now: sec(14) });
  assert.equal(
    current,
    [
      '2026-01-01T00:00:12.000Z starting app (docker.io/library/nginx:1.27), pod default/web, restart #1',
      '2026-01-01T00:00:12.000Z /docker-entrypoint.sh: Configuration complete; ready for start up',
      '2026-01-01T00:00:12.000Z nginx: start worker processes',
      '2026-01-01T00:00:12.000Z readiness probe: succeeded, serving traffic',
      '',
    ].join('\n'),
  );
  const previous = podLogLines(p, 'app', { previous: true });
  assert.match(previous, /^2026-01-01T00:00:00.000Z starting app .* restart #0\n/);
  assert.match(previous, /2026-01-01T00:00:12.000Z fatal error, exiting with code 2\n$/);
});

test('an OOM-killed container says so', () => {
  const env = fakeEnv({ images: ['nginx:1.27'] });
  const spec = { containers: [{ name: 'app', image: 'nginx:1.27', imagePullPolicy: 'IfNotPresent', resources: { limits: { memory: '64Mi' } } }] };
  const p = runUntil(pod('oom', spec, { 'kates.dev/memory-usage': '100Mi' }), env, T0, sec(3)).pod;
  assert.match(podLogLines(p, 'app', { previous: true }), /out of memory: using 100Mi with a limit of 64Mi; killed by the kernel \(OOMKilled, exit code 137\)/);
  assert.equal(podLogLines(p, 'missing'), '');
});
