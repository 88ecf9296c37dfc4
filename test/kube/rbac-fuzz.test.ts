import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { kubeTestApp } from './helpers/app.ts';
import { SigningKeys } from '../../src/auth/signing-keys.ts';
import { ServiceAccountTokens } from '../../src/auth/service-account-tokens.ts';
import { garbage, hostileValues, mutated } from '../helpers/hostile-input.ts';

/**
 * Generated RBAC writes, access reviews and TokenRequests, sent by the cluster admin and by a user
 * who holds `admin` in one namespace through impersonation (so escalation checks run on hostile
 * objects too). Whatever the input, the answer is a Status below 500.
 */
const RBAC = 'rbac.authorization.k8s.io';
const rule = () => ({ apiGroups: [''], resources: ['pods'], verbs: ['get'] });
const ref = (kind: string, name: string) => ({ apiGroup: RBAC, kind, name });

const TARGETS: Array<{ path: string; seed: () => Record<string, unknown> }> = [
  { path: `/apis/${RBAC}/v1/namespaces/default/roles`, seed: () => ({ apiVersion: `${RBAC}/v1`, kind: 'Role', rules: [rule()] }) },
  {
    path: `/apis/${RBAC}/v1/clusterroles`,
    seed: () => ({ apiVersion: `${RBAC}/v1`, kind: 'ClusterRole', rules: [rule()], aggregationRule: { clusterRoleSelectors: [{ matchLabels: { a: 'b' } }] } }),
  },
  {
    path: `/apis/${RBAC}/v1/namespaces/default/rolebindings`,
    seed: () => ({
      apiVersion: `${RBAC}/v1`,
      kind: 'RoleBinding',
      roleRef: ref('ClusterRole', 'view'),
      subjects: [
        { kind: 'User', name: 'u', apiGroup: RBAC },
        { kind: 'ServiceAccount', name: 'default' },
      ],
    }),
  },
  {
    path: `/apis/${RBAC}/v1/clusterrolebindings`,
    seed: () => ({
      apiVersion: `${RBAC}/v1`,
      kind: 'ClusterRoleBinding',
      roleRef: ref('ClusterRole', 'view'),
      subjects: [{ kind: 'Group', name: 'g', apiGroup: RBAC }],
    }),
  },
  {
    path: '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
    seed: () => ({ spec: { resourceAttributes: { namespace: 'default', verb: 'get', resource: 'pods' } } }),
  },
  {
    path: '/apis/authorization.k8s.io/v1/subjectaccessreviews',
    seed: () => ({ spec: { user: 'u', groups: ['g'], extra: { k: ['v'] }, nonResourceAttributes: { verb: 'get', path: '/api' } } }),
  },
  {
    path: '/apis/authorization.k8s.io/v1/namespaces/default/localsubjectaccessreviews',
    seed: () => ({ spec: { user: 'u', resourceAttributes: { namespace: 'default', verb: 'get', resource: 'pods' } } }),
  },
  { path: '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews', seed: () => ({ spec: { namespace: 'default' } }) },
  {
    path: '/api/v1/namespaces/default/serviceaccounts/default/token',
    seed: () => ({
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: { audiences: ['a'], expirationSeconds: 900, boundObjectRef: { kind: 'Pod', name: 'p', uid: 'x' } },
    }),
  },
];
const FIELDS = [
  'rules',
  'verbs',
  'apiGroups',
  'resources',
  'resourceNames',
  'nonResourceURLs',
  'roleRef',
  'subjects',
  'kind',
  'name',
  'apiGroup',
  'namespace',
  'aggregationRule',
  'clusterRoleSelectors',
  'matchLabels',
  'spec',
  'user',
  'groups',
  'extra',
  'resourceAttributes',
  'nonResourceAttributes',
  'verb',
  'path',
  'audiences',
  'expirationSeconds',
  'boundObjectRef',
  'uid',
  'metadata',
];

test('generated RBAC objects, reviews and token requests never answer 5xx', async () => {
  const k = await kubeTestApp({
    deps: (store) => ({ serviceAccountTokens: new ServiceAccountTokens(new SigningKeys(store.database), 'https://kates.test', store) }),
  });
  assert.equal((await k.json('POST', '/api/v1/namespaces/default/serviceaccounts', { body: { metadata: { name: 'default' } } })).status, 201);
  assert.equal(
    (
      await k.json('POST', `/apis/${RBAC}/v1/namespaces/default/rolebindings`, {
        body: { metadata: { name: 'fuzzer-admin' }, roleRef: ref('ClusterRole', 'admin'), subjects: [{ kind: 'User', name: 'fuzzer', apiGroup: RBAC }] },
      })
    ).status,
    201,
  );
  const statuses = new Map<number, number>();
  const hostile = hostileValues(FIELDS);
  const generated = fc
    .record({ target: fc.constantFrom(...TARGETS), raw: fc.nat(9), asFuzzer: fc.boolean(), method: fc.constantFrom('POST', 'POST', 'PUT'), id: fc.nat() })
    .chain(({ target, raw, asFuzzer, method, id }) =>
      (raw === 0 ? garbage : mutated({ ...target.seed(), metadata: { name: `f${id}` } }, hostile, ['spec', 'rules', 'subjects', 'x'])).map((body) => ({
        target,
        body,
        asFuzzer,
        method,
      })),
    );
  await fc.assert(
    fc.asyncProperty(generated, async ({ target, body, asFuzzer, method }) => {
      // The body's name, when it is one a path can carry; a hostile value (an object whose toString is
      // not a function) must not crash the test itself.
      const name = body && typeof body === 'object' && !Array.isArray(body) ? (body as { metadata?: { name?: unknown } }).metadata?.name : undefined;
      const named = typeof name === 'string' || typeof name === 'number' ? String(name) : 'x';
      const path = method === 'PUT' && target.path.includes(RBAC) ? `${target.path}/${named}` : target.path;
      const headers: Record<string, string> = { authorization: 'Bearer admin', 'content-type': 'application/json' };
      if (asFuzzer) headers['impersonate-user'] = 'fuzzer';
      const payload = typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body);
      const res = await k.app.request(`/clusters/${k.clusterId}/k8s${path}`, { method, headers, body: payload });
      const text = await res.text();
      assert.ok(res.status < 500, `${method} ${path} → ${res.status}: ${text.slice(0, 400)}\nbody: ${String(payload).slice(0, 400)}`);
      if (res.status >= 400) assert.equal(JSON.parse(text).kind, 'Status');
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    }),
    { numRuns: Number(process.env.FUZZ_RUNS ?? 800) },
  );
  assert.ok((statuses.get(201) ?? 0) > 0 && (statuses.get(422) ?? 0) > 0, JSON.stringify([...statuses]));
});
