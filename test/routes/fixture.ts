import { randomString } from '../../src/lib/ids.ts';
import type { InProcessApp } from '../helpers/app.ts';

export type Caller = 'A' | 'A.developer' | 'A.viewer' | 'A.billing' | 'B' | 'admin' | 'anonymous';

/** A small RUNNING cluster body: one pool of two nodes. */
export const smallCluster = (over: Record<string, unknown> = {}) => ({
  name: `c-${randomString(6)}`,
  provider: 'eks',
  region: 'us-east-1',
  nodePools: [{ name: 'default', instanceType: 'm5.large', count: 2 }],
  ...over,
});

/**
 * What the route cases share: tenant A (enterprise plan, a token per role, a RUNNING cluster, a
 * budget) whose data tenant B (an owner) probes, and the operator's admin token.
 */
export interface Fixture {
  app: InProcessApp;
  tokens: Record<Exclude<Caller, 'anonymous'>, string>;
  A: { id: string; name: string; ownerKeyId: string; cluster: { id: string; name: string; operationId: string; node: string } };
  B: { id: string; key: string };
  /** A new RUNNING cluster of A, for cases that change or delete one. */
  freshCluster(over?: Record<string, unknown>): Promise<{ id: string; name: string; operation: { id: string } }>;
  /** A's ids and names, which no answer to B may contain. */
  secretsOfA(): string[];
  extraSecrets: string[];
}

export async function buildFixture(app: InProcessApp): Promise<Fixture> {
  const nameA = `tenant-a-${randomString(6)}`;
  const a = await app.tenant({ name: nameA, plan: 'enterprise' });
  const b = await app.tenant();
  const roles = { developer: await app.keyFor(a.id, 'developer'), viewer: await app.keyFor(a.id, 'viewer'), billing: await app.keyFor(a.id, 'billing') };
  const ownerKeyId = (await app.runtime.deps.tokens.verifyAccessToken(a.token)).subject;
  const clusterName = `secret-${randomString(6)}`;
  const created = await app.request('POST', '/v1/clusters', { token: a.token, body: smallCluster({ name: clusterName }) });
  await app.runOperation(created.body.operation.id);
  const node = (await app.runtime.deps.store.list(created.body.id, 'nodes')).items[0].metadata.name!;
  const extraSecrets: string[] = [];
  const fx: Fixture = {
    app,
    tokens: {
      A: a.token,
      'A.developer': roles.developer.token,
      'A.viewer': roles.viewer.token,
      'A.billing': roles.billing.token,
      B: b.token,
      admin: await app.adminToken(),
    },
    A: { id: a.id, name: nameA, ownerKeyId, cluster: { id: created.body.id, name: clusterName, operationId: created.body.operation.id, node } },
    B: { id: b.id, key: b.key },
    async freshCluster(over = {}) {
      const r = await app.request('POST', '/v1/clusters', { token: a.token, body: smallCluster(over) });
      if (r.status !== 202) throw new Error(`cluster creation failed: ${r.status} ${r.text}`);
      await app.runOperation(r.body.operation.id);
      return r.body;
    },
    secretsOfA: () => [a.id, nameA, ownerKeyId, created.body.id, clusterName, created.body.operation.id, node, ...extraSecrets],
    extraSecrets,
  };
  return fx;
}
