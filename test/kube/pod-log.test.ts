import { test } from 'node:test';
import assert from 'node:assert/strict';
import { podLogReader } from '../../src/kubelet/logs.ts';
import type { ObjectStore } from '../../src/store/objects.ts';
import { ManualClock } from '../helpers/store.ts';
import { kubeTestApp } from './helpers/app.ts';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const at = (s: number) => new Date(T0 + s * 1000).toISOString().replace('.000Z', 'Z');
const P = '/api/v1/namespaces/default/pods';

const pod = (name: string, restarted: boolean) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default' },
  spec: { nodeName: 'n1', containers: [{ name: 'app', image: 'busybox' }] },
  status: {
    phase: 'Running',
    containerStatuses: [
      {
        name: 'app',
        ready: true,
        restartCount: restarted ? 1 : 0,
        state: { running: { startedAt: at(restarted ? 20 : 0) } },
        ...(restarted ? { lastState: { terminated: { exitCode: 2, reason: 'Error', startedAt: at(0), finishedAt: at(15) } } } : {}),
      },
    ],
  },
});

test('kubectl logs -p reads the previous instance of a restarted container; 400 without one', async () => {
  const clock = new ManualClock(T0 + 60_000);
  let store: ObjectStore | undefined;
  const k = await kubeTestApp({ clock, deps: { podLogs: (...args) => podLogReader(store!)(...args) } });
  store = k.store;
  await k.store.create(k.clusterId, 'pods', pod('crashy', true));
  await k.store.create(k.clusterId, 'pods', pod('steady', false));

  const current = await (await k.call('GET', `${P}/crashy/log`)).text();
  assert.match(current, /starting app .* restart #1\n/);
  const previous = await k.call('GET', `${P}/crashy/log?previous=true`);
  assert.equal(previous.status, 200);
  const text = await previous.text();
  assert.match(text, /^starting app .* restart #0\n/, 'no timestamps unless asked');
  assert.match(text, /exit code 2\)\n$/, 'the previous instance ended with its recorded exit code');
  assert.notEqual(text, current);

  const none = await k.json('GET', `${P}/steady/log?previous=true`);
  assert.equal(none.status, 400);
  assert.equal(none.body.message, 'previous terminated container "app" in pod "steady" not found');
});

test('kubectl logs --timestamps prefixes each line with an RFC 3339 nanosecond time; without it none', async () => {
  const clock = new ManualClock(T0 + 60_000);
  let store: ObjectStore | undefined;
  const k = await kubeTestApp({ clock, deps: { podLogs: (...args) => podLogReader(store!)(...args) } });
  store = k.store;
  await k.store.create(k.clusterId, 'pods', pod('steady', false));
  const plain = await (await k.call('GET', `${P}/steady/log`)).text();
  assert.match(plain, /^starting app \(/);
  assert.doesNotMatch(plain, /\d{4}-\d\d-\d\dT/);
  const stamped = await (await k.call('GET', `${P}/steady/log?timestamps=true`)).text();
  assert.match(stamped, /^2026-01-01T00:00:00\.000000000Z starting app \(/);
  for (const line of stamped.trimEnd().split('\n')) assert.match(line, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z /);
});
