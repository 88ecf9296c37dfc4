import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../src/kube/types.ts';
import { parseTimeOfDay, profileRpsAt, serviceRpsAt } from '../../../src/traffic/profile.ts';
import { computeTrafficDemand, demandFor, servingContainer } from '../../../src/traffic/demand.ts';

const DAY = Date.parse('2026-03-10T00:00:00Z');
const at = (hhmm: string) => DAY + parseTimeOfDay(hhmm)!;

test('daily profiles: points interpolate linearly (wrapping at midnight), steps hold', () => {
  const points = {
    type: 'points' as const,
    points: [
      { at: '06:00', rps: 100 },
      { at: '18:00', rps: 400 },
    ],
  };
  assert.equal(profileRpsAt(points, at('06:00')), 100);
  assert.equal(profileRpsAt(points, at('12:00')), 250);
  assert.equal(profileRpsAt(points, at('18:00')), 400);
  // 18:00 → 06:00 next day: 12 h from 400 down to 100; midnight is halfway.
  assert.equal(profileRpsAt(points, at('00:00')), 250);
  assert.equal(profileRpsAt(points, at('03:00')), 175);
  const steps = {
    type: 'steps' as const,
    points: [
      { at: '09:00', rps: 50 },
      { at: '17:30', rps: 5 },
    ],
  };
  assert.equal(profileRpsAt(steps, at('08:59')), 5, "before the first step, yesterday's last one holds");
  assert.equal(profileRpsAt(steps, at('09:00')), 50);
  assert.equal(profileRpsAt(steps, at('17:29:59')), 50);
  assert.equal(profileRpsAt(steps, at('23:00')), 5);
  assert.equal(serviceRpsAt({ namespace: 'd', name: 'w', cpuPerRequest: '1m', rps: 7 }, DAY), 7);
  assert.equal(parseTimeOfDay('24:00'), undefined);
});

function svc(name: string, selector: Record<string, string>, targetPort: number | string = 8080): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec: { selector, ports: [{ port: 80, targetPort }] } };
}

function pod(name: string, o: { ready?: boolean; deleting?: boolean; labels?: Record<string, string> } = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: o.labels ?? { app: 'web' }, ...(o.deleting ? { deletionTimestamp: '2026-03-10T00:00:00Z' } : {}) },
    spec: {
      containers: [
        { name: 'proxy', ports: [{ containerPort: 15001, name: 'proxy' }] },
        { name: 'app', ports: [{ containerPort: 8080, name: 'http' }] },
      ],
    },
    status: { phase: 'Running', podIP: '10.244.1.5', conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }] },
  };
}

test('load spreads evenly over ready endpoints and lands on the container serving the target port', () => {
  const pods = [pod('web-1'), pod('web-2'), pod('web-3', { ready: false }), pod('web-4', { deleting: true }), pod('db-1', { labels: { app: 'db' } })];
  const spec = {
    services: [
      { namespace: 'default', name: 'web', rps: 300, cpuPerRequest: '5m', memoryPerRequest: '1Mi' },
      { namespace: 'default', name: 'gone', rps: 10, cpuPerRequest: '1m' },
    ],
  };
  const d = computeTrafficDemand(spec, [svc('web', { app: 'web' })], pods, DAY);
  assert.deepEqual(d.services, [
    { namespace: 'default', name: 'web', rps: 300, endpoints: 2, rpsPerEndpoint: 150, found: true },
    { namespace: 'default', name: 'gone', rps: 10, endpoints: 0, rpsPerEndpoint: 0, found: false },
  ]);
  assert.deepEqual(demandFor(d.pods, pods[0]), { app: { cpuMillis: 750, memoryBytes: 150 * 1024 * 1024 } });
  assert.deepEqual(demandFor(d.pods, pods[2]), {}, 'not ready: no traffic');
  assert.equal(servingContainer(svc('x', { app: 'web' }, 'proxy'), pods[0]), 'proxy');
  assert.equal(servingContainer(svc('x', { app: 'web' }, 9999), pods[0]), 'proxy', 'no container exposes it: the first one');
});

test('two Services on the same pods add up', () => {
  const pods = [pod('web-1')];
  const spec = {
    services: [
      { namespace: 'default', name: 'a', rps: 10, cpuPerRequest: '10m' },
      { namespace: 'default', name: 'b', rps: 20, cpuPerRequest: '0.5m' },
    ],
  };
  const d = computeTrafficDemand(spec, [svc('a', { app: 'web' }), svc('b', { app: 'web' })], pods, DAY);
  assert.deepEqual(demandFor(d.pods, pods[0]), { app: { cpuMillis: 110, memoryBytes: 0 } });
});
