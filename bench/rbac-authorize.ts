/**
 * What an RBAC decision costs per request: the compiled per-cluster policy (src/rbac/authorizer.ts,
 * rebuilt only when the change feed reports an RBAC write) beside the baseline of reading the
 * cluster's Roles, ClusterRoles and bindings from SQLite and compiling them on every request.
 * The cluster holds the default roles plus `--namespaces` namespaces, each with a Role and three
 * RoleBindings (users, a group, ServiceAccounts); the caller is a ServiceAccount bound in one of them.
 *
 *   npx tsx bench/rbac-authorize.ts [--namespaces 200] [--checks 100000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openSqlite } from '../src/platform/sqlite.ts';
import { ObjectStore, type WriteOp } from '../src/store/objects.ts';
import { systemClock } from '../src/lib/clock.ts';
import { storeChangeFeed } from '../src/kube/watch/feed.ts';
import { RbacAuthorizer } from '../src/rbac/authorizer.ts';
import { Policy } from '../src/rbac/policy.ts';
import { defaultClusterRoleBindings, defaultClusterRoles } from '../src/rbac/defaults.ts';
import { RBAC_RESOURCES, serviceAccountUser, type RequestAttributes } from '../src/rbac/types.ts';
import { addClusterRow } from '../test/helpers/store.ts';
import { machine } from './kube-server.ts';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const NAMESPACES = arg('namespaces', 200);
const CHECKS = arg('checks', 100_000);
const RBAC = 'rbac.authorization.k8s.io';

const dir = mkdtempSync(join(tmpdir(), 'kates-bench-'));
const database = openSqlite(join(dir, 'kates.db'));
const store = new ObjectStore(database, systemClock);
const clusterId = 'cls_bench';
await addClusterRow(database, clusterId, Date.now());
const ops: WriteOp[] = [
  ...defaultClusterRoles().map((object) => ({ op: 'create' as const, resource: RBAC_RESOURCES.clusterroles, object })),
  ...defaultClusterRoleBindings().map((object) => ({ op: 'create' as const, resource: RBAC_RESOURCES.clusterrolebindings, object })),
];
for (let n = 0; n < NAMESPACES; n++) {
  const namespace = `ns-${n}`;
  ops.push({
    op: 'create',
    resource: RBAC_RESOURCES.roles,
    object: {
      apiVersion: `${RBAC}/v1`,
      kind: 'Role',
      metadata: { name: 'reader', namespace },
      rules: [{ apiGroups: [''], resources: ['pods', 'configmaps'], verbs: ['get', 'list', 'watch'] }],
    },
  });
  const bind = (name: string, subjects: unknown[], role = { apiGroup: RBAC, kind: 'Role', name: 'reader' }) =>
    ops.push({
      op: 'create',
      resource: RBAC_RESOURCES.rolebindings,
      object: { apiVersion: `${RBAC}/v1`, kind: 'RoleBinding', metadata: { name, namespace }, roleRef: role, subjects },
    });
  bind('users', [{ kind: 'User', name: `user-${n}`, apiGroup: RBAC }]);
  bind('team', [{ kind: 'Group', name: `team-${n}`, apiGroup: RBAC }], { apiGroup: RBAC, kind: 'ClusterRole', name: 'edit' });
  bind('robots', [{ kind: 'ServiceAccount', name: 'robot', namespace }]);
}
for (let i = 0; i < ops.length; i += 200) await store.commit(clusterId, ops.slice(i, i + 200));

const user = serviceAccountUser(`ns-${NAMESPACES >> 1}`, 'robot');
const requests: RequestAttributes[] = [
  { kind: 'resource', verb: 'list', group: '', resource: 'pods', namespace: `ns-${NAMESPACES >> 1}` },
  { kind: 'resource', verb: 'get', group: '', resource: 'secrets', namespace: `ns-${NAMESPACES >> 1}` },
  { kind: 'resource', verb: 'list', group: '', resource: 'pods', namespace: 'ns-0' },
];

async function measure(label: string, checks: number, decide: (a: RequestAttributes) => Promise<boolean>) {
  for (let i = 0; i < Math.min(100, checks); i++) await decide(requests[i % requests.length]);
  let allowed = 0;
  const t = performance.now();
  for (let i = 0; i < checks; i++) if (await decide(requests[i % requests.length])) allowed++;
  const ms = performance.now() - t;
  const us = (ms * 1000) / checks;
  console.log(`${label.padEnd(60)} ${us.toFixed(2).padStart(10)} µs per decision   (${checks} decisions, ${allowed} allowed)`);
  return us;
}

console.log(machine());
console.log(`${NAMESPACES} namespaces × (1 Role, 3 RoleBindings) + ${defaultClusterRoles().length} default ClusterRoles`);
const baseline = await measure('baseline: list and compile the RBAC objects per request', Math.max(20, Math.floor(CHECKS / 1000)), async (a) => {
  const list = async (r: string) => (await store.list(clusterId, r)).items;
  const policy = new Policy({
    roles: await list(RBAC_RESOURCES.roles),
    clusterRoles: await list(RBAC_RESOURCES.clusterroles),
    roleBindings: await list(RBAC_RESOURCES.rolebindings),
    clusterRoleBindings: await list(RBAC_RESOURCES.clusterrolebindings),
  });
  return policy.authorize(user, a).allowed;
});
const authorizer = new RbacAuthorizer(store, storeChangeFeed(store));
const cached = await measure(
  'compiled policy, kept until an RBAC write (RbacAuthorizer)',
  CHECKS,
  async (a) => (await authorizer.authorize(clusterId, user, a)).allowed,
);
console.log(`the compiled policy is ${(baseline / cached).toFixed(0)}× cheaper per decision`);
await database.close();
rmSync(dir, { recursive: true, force: true });
