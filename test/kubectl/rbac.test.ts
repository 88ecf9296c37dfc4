import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { decodeJwt } from '../api/helpers/forge.ts';
import * as k8s from '@kubernetes/client-node';

/** RBAC, impersonation and ServiceAccount tokens through the real kubectl against the whole service. */
let h: Harness;
let owner: { id: string; key: string; token: string };
let clusterId: string;
let kubeconfig: string;

before(async () => {
  h = await startHarness();
  owner = await h.tenant();
  clusterId = (await h.runningCluster(owner.token)).id;
  kubeconfig = await h.kubeconfig(owner.token, clusterId);
});
after(() => h.stop());

const kubectl = (args: string[], input?: string) => h.kubectl(kubeconfig, args, input);
async function ok(args: string[], input?: string): Promise<string> {
  const r = await kubectl(args, input);
  assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}
const kube = (method: string, path: string, token: string, body?: unknown, headers?: Record<string, string>) =>
  h.request(method, `/clusters/${clusterId}/k8s${path}`, { token, body, headers, noContract: true });

async function namespaceWithDefaults(name: string): Promise<void> {
  await ok(['create', 'namespace', name]);
  await h.waitFor(
    async () => (await kubectl(['get', 'sa', 'default', '-n', name])).code === 0 && (await kubectl(['get', 'cm', 'kube-root-ca.crt', '-n', name])).code === 0,
    `defaults of ${name}`,
  );
}

test('default ClusterRoles and bindings are bootstrapped; view aggregates its labelled roles', async () => {
  const roles = await ok(['get', 'clusterroles']);
  for (const r of ['cluster-admin', 'admin', 'edit', 'view', 'system:basic-user', 'system:discovery', 'system:public-info-viewer'])
    assert.match(roles, new RegExp(`^${r}\\s+\\d{4}-`, 'm'));
  assert.match(await ok(['get', 'clusterrolebindings']), /^cluster-admin\s+ClusterRole\/cluster-admin\s+/m);
  const view = JSON.parse(await ok(['get', 'clusterrole', 'view', '-o', 'json']));
  assert.ok(
    view.rules.some((r: { resources?: string[] }) => r.resources?.includes('pods')),
    'view shows the aggregated rules',
  );
  // A role labelled to aggregate into view is picked up on read.
  await ok(
    ['apply', '-f', '-'],
    JSON.stringify({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'widgets-reader', labels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } },
      rules: [{ apiGroups: ['example.com'], resources: ['widgets'], verbs: ['get'] }],
    }),
  );
  const after = JSON.parse(await ok(['get', 'clusterrole', 'view', '-o', 'json']));
  assert.ok(after.rules.some((r: { resources?: string[] }) => r.resources?.includes('widgets')));
  assert.ok(
    JSON.parse(await ok(['get', 'clusterrole', 'admin', '-o', 'json'])).rules.some((r: { resources?: string[] }) => r.resources?.includes('widgets')),
    'admin aggregates edit, which aggregates view',
  );
});

test('every namespace gets a default ServiceAccount and kube-root-ca.crt with the kubeconfig CA', async () => {
  await namespaceWithDefaults('fresh');
  const ca = await ok(['get', 'cm', 'kube-root-ca.crt', '-n', 'fresh', '-o', 'jsonpath={.data.ca\\.crt}']);
  assert.equal(ca, h.runtime.deps.caCert);
  await ok(['get', 'sa', 'default', '-n', 'default']);
  await ok(['get', 'cm', 'kube-root-ca.crt', '-n', 'kube-system']);
  // Deleted, they come back, as upstream's controllers put them back.
  await ok(['delete', 'cm', 'kube-root-ca.crt', '-n', 'fresh']);
  await ok(['delete', 'sa', 'default', '-n', 'fresh']);
  await h.waitFor(
    async () =>
      (await kubectl(['get', 'sa', 'default', '-n', 'fresh'])).code === 0 && (await kubectl(['get', 'cm', 'kube-root-ca.crt', '-n', 'fresh'])).code === 0,
    'defaults recreated',
  );
  // A namespace being deleted loses them for good, and goes.
  await ok(['delete', 'namespace', 'fresh', '--wait=false']);
  await h.waitFor(async () => (await kubectl(['get', 'namespace', 'fresh'])).code !== 0, 'the namespace is gone', 30_000);
});

test('auth can-i and whoami, with and without impersonation', async () => {
  assert.equal((await ok(['auth', 'can-i', 'list', 'secrets', '-n', 'default'])).trim(), 'yes');
  const nobody = await kubectl(['auth', 'can-i', 'list', 'secrets', '-n', 'default', '--as=system:serviceaccount:ns:nobody']);
  assert.equal(nobody.stdout.trim(), 'no');
  assert.equal(nobody.code, 1);
  assert.match(await ok(['auth', 'whoami', '--as=bob']), /Username\s+bob/);
  const groups = JSON.parse(await ok(['auth', 'whoami', '--as=bob', '--as-group=devs', '-o', 'json']));
  assert.deepEqual(groups.status.userInfo.groups, ['devs', 'system:authenticated']);
  const uid = JSON.parse(await ok(['auth', 'whoami', '--as=bob', '--as-uid=42', '-o', 'json']));
  assert.equal(uid.status.userInfo.uid, '42');
  const me = JSON.parse(await ok(['auth', 'whoami', '-o', 'json']));
  assert.ok(me.status.userInfo.groups.includes('system:masters'));
  // Every verb runs as the impersonated user.
  const asBob = await kubectl(['get', 'pods', '-n', 'default', '--as=bob']);
  assert.equal(asBob.code, 1);
  assert.match(asBob.stderr, /pods is forbidden: User "bob" cannot list resource "pods" in API group "" in the namespace "default"/);
  await ok(['create', 'rolebinding', 'bob-view', '--clusterrole=view', '--user=bob', '-n', 'default']);
  await ok(['get', 'pods', '-n', 'default', '--as=bob']);
  assert.equal((await kubectl(['auth', 'can-i', 'get', 'secrets', '-n', 'default', '--as=bob'])).stdout.trim(), 'no');
  assert.equal((await kubectl(['auth', 'can-i', 'get', 'pods', '-n', 'kube-system', '--as=bob'])).stdout.trim(), 'no');
});

test('a namespace token does what its role allows in its namespace only, and cannot impersonate', async () => {
  await namespaceWithDefaults('team-a');
  const minted = await h.request('POST', `/v1/clusters/${clusterId}/tokens`, {
    token: owner.token,
    body: { role: 'edit', namespaces: ['team-a'], name: 'ci-bot' },
  });
  assert.equal(minted.status, 201);
  const t = minted.body.token as string;
  const as = (args: string[]) => kubectl([`--token=${t}`, ...args]);
  assert.equal((await as(['create', 'configmap', 'c1', '-n', 'team-a'])).code, 0);
  assert.equal((await as(['auth', 'can-i', 'create', 'deployments', '-n', 'team-a'])).stdout.trim(), 'yes');
  const quota = await as(['create', 'quota', 'q', '--hard=pods=1', '-n', 'team-a']);
  assert.match(quota.stderr, /resourcequotas is forbidden: User "ci-bot" cannot create resource "resourcequotas" in API group "" in the namespace "team-a"/);
  const other = await as(['get', 'pods', '-n', 'default']);
  assert.match(other.stderr, /pods is forbidden: User "ci-bot" cannot list resource "pods" in API group "" in the namespace "default"/);
  assert.equal((await as(['auth', 'can-i', 'get', 'pods', '-n', 'default'])).stdout.trim(), 'no');
  const list = await as(['auth', 'can-i', '--list', '-n', 'team-a']);
  assert.match(list.stdout, /deployments\.apps\s+\[\]\s+\[\]\s+\[create delete deletecollection patch update get list watch\]/);
  assert.match((await as(['auth', 'whoami'])).stdout, /Username\s+ci-bot/);
  const imp = await as(['get', 'pods', '-n', 'team-a', '--as=bob']);
  assert.match(imp.stderr, /users "bob" is forbidden: User "ci-bot" cannot impersonate resource "users" in API group "" at the cluster scope/);
  // Edit may impersonate the ServiceAccounts of its namespace, as upstream's edit role allows.
  assert.equal(
    (await as(['auth', 'whoami', '--as=system:serviceaccount:team-a:default', '-o', 'jsonpath={.status.userInfo.username}'])).stdout,
    'system:serviceaccount:team-a:default',
  );
});

test('a Role and RoleBinding make a ServiceAccount token work; escalation is refused; deleting the account ends its tokens', async () => {
  await namespaceWithDefaults('app');
  await ok(['create', 'serviceaccount', 'robot', '-n', 'app']);
  await ok(['create', 'role', 'pod-reader', '--verb=get,list,watch', '--resource=pods', '-n', 'app']);
  await ok([
    'create',
    'role',
    'role-writer',
    '--verb=create,get,list',
    '--resource=roles.rbac.authorization.k8s.io,rolebindings.rbac.authorization.k8s.io',
    '-n',
    'app',
  ]);
  await ok(['create', 'rolebinding', 'robot-pods', '--role=pod-reader', '--serviceaccount=app:robot', '-n', 'app']);
  await ok(['create', 'rolebinding', 'robot-roles', '--role=role-writer', '--serviceaccount=app:robot', '-n', 'app']);
  const token = (await ok(['create', 'token', 'robot', '-n', 'app'])).trim();
  const { payload } = decodeJwt(token);
  assert.equal(payload.sub, 'system:serviceaccount:app:robot');
  assert.deepEqual(payload.aud, [`kates-cluster:${clusterId}`]);
  assert.equal((payload.exp as number) - (payload.iat as number), 3600);
  const as = (args: string[], input?: string) => kubectl([`--token=${token}`, ...args], input);
  assert.equal((await as(['get', 'pods', '-n', 'app'])).code, 0);
  const who = JSON.parse((await as(['auth', 'whoami', '-o', 'json'])).stdout).status.userInfo;
  assert.equal(who.username, 'system:serviceaccount:app:robot');
  assert.deepEqual(who.groups, ['system:serviceaccounts', 'system:serviceaccounts:app', 'system:authenticated']);
  assert.equal(who.extra['authentication.kubernetes.io/credential-id'][0], `JTI=${payload.jti}`);
  const secrets = await as(['get', 'secrets', '-n', 'app']);
  assert.match(
    secrets.stderr,
    /secrets is forbidden: User "system:serviceaccount:app:robot" cannot list resource "secrets" in API group "" in the namespace "app"/,
  );
  assert.match((await as(['get', 'pods', '-n', 'default'])).stderr, /cannot list resource "pods" in API group "" in the namespace "default"/);

  // Holding what it grants, the robot may create a role; granting more is refused with upstream's text.
  assert.equal((await as(['create', 'role', 'narrower', '--verb=get', '--resource=pods', '-n', 'app'])).code, 0);
  const escalate = await as(['create', 'role', 'secret-reader', '--verb=get', '--resource=secrets', '-n', 'app']);
  assert.equal(escalate.code, 1);
  assert.ok(
    escalate.stderr.includes(
      'roles.rbac.authorization.k8s.io "secret-reader" is forbidden: user "system:serviceaccount:app:robot" (groups=["system:serviceaccounts" "system:serviceaccounts:app" "system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:[""], Resources:["secrets"], Verbs:["get"]}',
    ),
    escalate.stderr,
  );
  const bindAdmin = await as(['create', 'rolebinding', 'grab', '--clusterrole=admin', '--serviceaccount=app:robot', '-n', 'app']);
  assert.match(
    bindAdmin.stderr,
    /rolebindings.rbac.authorization.k8s.io "grab" is forbidden: user "system:serviceaccount:app:robot" .* is attempting to grant RBAC permissions not currently held/,
  );
  // With `bind` on the role, the binding is allowed without holding it.
  await ok(['create', 'role', 'binder', '--verb=bind', '--resource=clusterroles.rbac.authorization.k8s.io', '--resource-name=view', '-n', 'app']);
  await ok(['create', 'rolebinding', 'robot-binder', '--role=binder', '--serviceaccount=app:robot', '-n', 'app']);
  assert.equal((await as(['create', 'rolebinding', 'viewers', '--clusterrole=view', '--group=viewers', '-n', 'app'])).code, 0);

  await ok(['delete', 'serviceaccount', 'robot', '-n', 'app']);
  const dead = await as(['get', 'pods', '-n', 'app']);
  assert.match(dead.stderr, /Unauthorized|must be logged in/);
});

test('create token with an audience and duration; a token for another audience is not accepted by the API', async () => {
  await namespaceWithDefaults('aud');
  const token = (await ok(['create', 'token', 'default', '-n', 'aud', '--audience=vault', '--duration=20m'])).trim();
  const { payload } = decodeJwt(token);
  assert.deepEqual(payload.aud, ['vault']);
  assert.equal((payload.exp as number) - (payload.iat as number), 1200);
  assert.equal((await kube('GET', '/api/v1/namespaces/aud/pods', token)).status, 401);
  // Naming another cluster as the audience does not open it, even within the tenant.
  const other = (await h.runningCluster(owner.token)).id;
  const sideways = (await ok(['create', 'token', 'default', '-n', 'default', `--audience=kates-cluster:${other}`])).trim();
  assert.equal(
    (await h.request('POST', `/clusters/${other}/k8s/apis/authentication.k8s.io/v1/selfsubjectreviews`, { token: sideways, body: {}, noContract: true }))
      .status,
    401,
  );
  const short = await kubectl(['create', 'token', 'default', '-n', 'aud', '--duration=1m']);
  assert.match(short.stderr, /may not specify a duration less than 10 minutes/);
  assert.match((await kubectl(['create', 'token', 'ghost', '-n', 'aud'])).stderr, /serviceaccounts "ghost" not found/);
});

test('pods get the kube-api-access volume unless they opt out; a pod-bound token dies with its pod', async () => {
  await namespaceWithDefaults('pods');
  await ok(['run', 'web', '--image=nginx', '-n', 'pods']);
  const pod = JSON.parse(await ok(['get', 'pod', 'web', '-n', 'pods', '-o', 'json']));
  const volume = pod.spec.volumes.find((v: { name: string }) => v.name.startsWith('kube-api-access-'));
  assert.ok(volume, 'the projected volume is injected');
  assert.match(volume.name, /^kube-api-access-[a-z0-9]{5}$/);
  assert.deepEqual(
    volume.projected.sources.map((s: object) => Object.keys(s)[0]),
    ['serviceAccountToken', 'configMap', 'downwardAPI'],
  );
  assert.deepEqual(pod.spec.containers[0].volumeMounts, [{ name: volume.name, readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }]);
  await ok(
    ['apply', '-f', '-'],
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'quiet', namespace: 'pods' },
      spec: { automountServiceAccountToken: false, containers: [{ name: 'c', image: 'nginx' }] },
    }),
  );
  const quiet = JSON.parse(await ok(['get', 'pod', 'quiet', '-n', 'pods', '-o', 'json']));
  assert.equal(quiet.spec.volumes, undefined);
  // An account that opts out, and whose pull secrets its pods inherit.
  await ok(
    ['apply', '-f', '-'],
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'puller', namespace: 'pods' },
      automountServiceAccountToken: false,
      imagePullSecrets: [{ name: 'regcred' }],
    }),
  );
  await ok(
    ['apply', '-f', '-'],
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'pulled', namespace: 'pods' },
      spec: { serviceAccountName: 'puller', containers: [{ name: 'c', image: 'nginx' }] },
    }),
  );
  const pulled = JSON.parse(await ok(['get', 'pod', 'pulled', '-n', 'pods', '-o', 'json']));
  assert.equal(pulled.spec.volumes, undefined);
  assert.deepEqual(pulled.spec.imagePullSecrets, [{ name: 'regcred' }]);
  await h.waitFor(
    async () => (await ok(['get', 'pod', 'web', '-n', 'pods', '-o', 'jsonpath={.status.phase}'])) === 'Running',
    'the pod runs with its projected volume',
  );

  const review = await kube('POST', '/api/v1/namespaces/pods/serviceaccounts/default/token', await tokenOf(), {
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'TokenRequest',
    spec: { boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'web' } },
  });
  assert.equal(review.status, 201, review.text);
  const bound = review.body.status.token as string;
  assert.equal((decodeJwt(bound).payload['kubernetes.io'] as { pod: { name: string } }).pod.name, 'web');
  assert.equal(
    (await kube('POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', bound, { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' }))
      .status,
    201,
  );
  await ok(['delete', 'pod', 'web', '-n', 'pods', '--grace-period=0', '--force']);
  await h.waitFor(async () => (await kube('POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', bound, {})).status === 401, 'the pod-bound token dies');
});

/** The kubeconfig's cluster-admin token. */
async function tokenOf(): Promise<string> {
  const r = await h.request('GET', `/v1/clusters/${clusterId}/kubeconfig`, { token: owner.token });
  return /token: (\S+)/.exec(r.text)![1];
}

test('bad input answers 4xx Status, never 500', async () => {
  const t = await tokenOf();
  const cases: Array<[string, string, unknown, number]> = [
    [
      'POST',
      '/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings',
      { metadata: { name: 'x' }, roleRef: { kind: 'Nope', name: 'y', apiGroup: 'rbac.authorization.k8s.io' } },
      422,
    ],
    ['POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings', { metadata: { name: 'x' }, roleRef: 'view' }, 422],
    [
      'POST',
      '/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles',
      { metadata: { name: 'x' }, rules: [{ verbs: ['get'], nonResourceURLs: ['/x'] }] },
      422,
    ],
    ['POST', '/apis/rbac.authorization.k8s.io/v1/clusterroles', { metadata: { name: 'x' }, rules: 'all' }, 422],
    [
      'POST',
      '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings',
      {
        metadata: { name: 'x' },
        roleRef: { kind: 'ClusterRole', name: 'view', apiGroup: 'rbac.authorization.k8s.io' },
        subjects: [{ kind: 'ServiceAccount', name: 'a' }],
      },
      422,
    ],
    ['POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', { spec: {} }, 422],
    ['POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', { spec: { resourceAttributes: { verb: 'get', resource: 'pods' } } }, 422],
    ['POST', '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews', { spec: { namespace: 7 } }, 422],
    ['POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', [], 400],
    ['POST', '/api/v1/namespaces/default/serviceaccounts/default/token', { spec: { expirationSeconds: 'soon' } }, 422],
    ['POST', '/api/v1/namespaces/default/serviceaccounts/default/token', { spec: { boundObjectRef: { kind: 'Node', name: 'n' } } }, 422],
    ['POST', '/api/v1/namespaces/default/serviceaccounts/default/token', { spec: { boundObjectRef: { kind: 'constructor', name: 'n' } } }, 422],
    ['POST', '/api/v1/namespaces/default/serviceaccounts/default/token', { spec: { boundObjectRef: { kind: 'Pod', name: 'missing' } } }, 404],
  ];
  for (const [method, path, body, status] of cases) {
    const r = await kube(method, path, t, body);
    assert.equal(r.status, status, `${method} ${path} ${JSON.stringify(body)}: ${r.text}`);
    assert.equal(r.body.kind, 'Status');
  }
  const noUser = await kube('GET', '/api/v1/namespaces', t, undefined, { 'Impersonate-Group': 'devs' });
  assert.equal(noUser.status, 400);
  assert.equal((await kube('GET', '/api/v1/namespaces', 'not-a-token.x.y')).status, 401);
  // SubjectAccessReview answers for the user it names.
  const sar = await kube('POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', t, {
    spec: { user: 'bob', groups: ['system:authenticated'], resourceAttributes: { namespace: 'default', verb: 'list', resource: 'pods' } },
  });
  assert.equal(sar.status, 201);
  assert.equal(sar.body.status.allowed, true);
  assert.match(sar.body.status.reason, /RoleBinding "bob-view\/default" of ClusterRole "view" to User "bob"/);
});

test('client-node: Roles, bindings, TokenRequest and access reviews through the typed clients', async () => {
  await namespaceWithDefaults('node-ns');
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(kubeconfig);
  const rbac = kc.makeApiClient(k8s.RbacAuthorizationV1Api);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  await core.createNamespacedServiceAccount({ namespace: 'node-ns', body: { metadata: { name: 'informer' } } });
  await rbac.createNamespacedRole({
    namespace: 'node-ns',
    body: { metadata: { name: 'cm-reader' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] }] },
  });
  await rbac.createNamespacedRoleBinding({
    namespace: 'node-ns',
    body: {
      metadata: { name: 'informer-cm' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'cm-reader' },
      subjects: [{ kind: 'ServiceAccount', name: 'informer', namespace: 'node-ns' }],
    },
  });
  const roles = await rbac.listNamespacedRole({ namespace: 'node-ns' });
  assert.deepEqual(
    roles.items.map((r) => r.metadata?.name),
    ['cm-reader'],
  );
  const tr = await core.createNamespacedServiceAccountToken({
    name: 'informer',
    namespace: 'node-ns',
    body: { spec: { audiences: [], expirationSeconds: 900 } },
  });
  assert.ok(tr.status?.token);

  const asSa = new k8s.KubeConfig();
  asSa.loadFromOptions({
    clusters: kc.clusters,
    users: [{ name: 'informer', token: tr.status!.token }],
    contexts: [{ name: 'sa', cluster: kc.clusters[0].name, user: 'informer' }],
    currentContext: 'sa',
  });
  const saCore = asSa.makeApiClient(k8s.CoreV1Api);
  const cms = await saCore.listNamespacedConfigMap({ namespace: 'node-ns' });
  assert.ok(cms.items.some((c) => c.metadata?.name === 'kube-root-ca.crt'));
  await assert.rejects(saCore.listNamespacedSecret({ namespace: 'node-ns' }), (err: { code?: number; body?: string }) => {
    assert.equal(err.code, 403);
    assert.match(String(err.body), /User \\?"system:serviceaccount:node-ns:informer\\?" cannot list resource \\?"secrets\\?"/);
    return true;
  });
  const ssar = await asSa.makeApiClient(k8s.AuthorizationV1Api).createSelfSubjectAccessReview({
    body: { spec: { resourceAttributes: { namespace: 'node-ns', verb: 'watch', resource: 'configmaps' } } },
  });
  assert.equal(ssar.status?.allowed, true);
  const rules = await asSa.makeApiClient(k8s.AuthorizationV1Api).createSelfSubjectRulesReview({ body: { spec: { namespace: 'node-ns' } } });
  assert.ok(rules.status?.resourceRules.some((r) => r.resources?.includes('configmaps') && r.verbs.includes('list')));
});

test("a ServiceAccount token minted through a revoked API key stops working, as the key's other tokens do", async () => {
  const key = await h.keyFor(owner.id, owner.token, 'developer');
  const path = await h.kubeconfig(key.token, clusterId);
  const token = (await h.kubectl(path, ['create', 'token', 'default', '-n', 'default'])).stdout.trim();
  assert.ok(token);
  const whoami = () =>
    kube('POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', token, { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' });
  assert.equal((await whoami()).status, 201);
  assert.equal((await h.request('DELETE', `/v1/tenants/${owner.id}/api-keys/${key.id}`, { token: owner.token })).status, 200);
  assert.equal((await whoami()).status, 401);
});
