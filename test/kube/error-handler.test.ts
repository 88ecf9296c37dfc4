import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kubeTestApp } from './helpers/app.ts';
import { ServiceError } from '../../src/services/errors.ts';
import { kubeStatusOf } from '../../src/kube-wiring.ts';
import { UnavailableError } from '../../src/lib/unavailable.ts';
import type { Logger } from '../../src/lib/logger.ts';

/**
 * Every error of the Kubernetes API reaches one error handler and leaves as a Status: a service's
 * refusal as the wiring translates it, an outage as 503, anything else as a 500 that tells the
 * client nothing of the server's internals (the log gets them).
 */
const CONFIGMAPS = '/api/v1/namespaces/default/configmaps';
const configMap = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: {} });

function recordingLogger(): Logger & { errors: unknown[] } {
  const errors: unknown[] = [];
  const logger: Logger & { errors: unknown[] } = { errors, debug() {}, info() {}, warn() {}, error: (obj) => void errors.push(obj), child: () => logger };
  return logger;
}

test("a service's refusal is answered with the Status its translation names", async () => {
  const k = await kubeTestApp({
    deps: {
      objectQuota: { check: () => Promise.reject(new ServiceError('not_found', 'tenant ten_test not found')) },
      translateError: kubeStatusOf,
    },
  });
  const r = await k.json('POST', CONFIGMAPS, { body: configMap('a') });
  assert.equal(r.status, 404);
  assert.deepEqual(r.body, {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: 'tenant ten_test not found',
    reason: 'NotFound',
    code: 404,
  });
});

test('an unexpected error is a 500 InternalError Status naming no internals; the log has them', async () => {
  const logger = recordingLogger();
  const secret = 'SQLITE_ERROR: no such column tenants.secret_hash near /srv/kates/data.db';
  const k = await kubeTestApp({ deps: { logger, objectQuota: { check: () => Promise.reject(new Error(secret)) } } });
  const r = await k.call('POST', CONFIGMAPS, { body: configMap('b') });
  assert.equal(r.status, 500);
  assert.equal(r.headers.get('content-type'), 'application/json');
  const text = await r.text();
  assert.ok(!text.includes('secret_hash') && !text.includes('/srv/'), text);
  const body = JSON.parse(text);
  assert.equal(body.kind, 'Status');
  assert.equal(body.reason, 'InternalError');
  assert.equal(body.code, 500);
  assert.match(body.message, /^Internal error occurred: /);
  assert.equal(logger.errors.length, 1);
  assert.match(JSON.stringify(logger.errors[0]), /secret_hash/);
});

test('an outage behind the token check is a 503 with Retry-After, not a 401', async () => {
  const k = await kubeTestApp({ deps: { authenticate: () => Promise.reject(new UnavailableError('redis', 'Redis is unavailable', 2)) } });
  const r = await k.json('GET', CONFIGMAPS);
  assert.equal(r.status, 503);
  assert.equal(r.body.reason, 'ServiceUnavailable');
  assert.equal(r.headers.get('retry-after'), '2');
  // /version answers anyone, so an outage only hides the cluster's own version.
  assert.equal((await k.json('GET', '/version')).status, 200);
});

test('the token is checked before the budget, and the budget before the cluster is looked up', async () => {
  let lookups = 0;
  const taken: string[] = [];
  const k = await kubeTestApp({
    deps: {
      rateLimiter: { take: async (key) => (taken.push(key), { allowed: false, retryAfterSeconds: 3 }) },
      clusterInfo: async () => (lookups++, { tenantId: 'ten_test', kubernetesVersion: '1.32', status: 'RUNNING' }),
    },
  });
  assert.equal((await k.json('GET', CONFIGMAPS, { token: 'bogus' })).status, 401);
  assert.deepEqual(taken, []);
  const limited = await k.json('GET', CONFIGMAPS, { token: 'viewer' });
  assert.equal(limited.status, 429);
  assert.equal(limited.body.reason, 'TooManyRequests');
  assert.equal(limited.headers.get('retry-after'), '3');
  assert.deepEqual(taken, [`${k.clusterId}:viewer`]);
  assert.equal(lookups, 0);
});

test('paths the API does not serve are a 404 Status for anyone, token or not', async () => {
  const k = await kubeTestApp();
  for (const token of ['bogus', 'admin']) {
    for (const path of ['/no/such/path', '/api/', '/openapi/v4']) {
      const r = await k.json('GET', path, { token });
      assert.equal(r.status, 404, `${path} ${token}`);
      assert.equal(r.body.reason, 'NotFound');
    }
  }
});
