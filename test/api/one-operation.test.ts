import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, defaultClusterBody, type Harness } from '../helpers/harness.ts';
import { runOperation } from '../../src/services/operations/run.ts';
import { deleteCluster, updateCluster } from '../../src/services/clusters/update.ts';
import { ServiceError } from '../../src/services/errors.ts';
import type { Database } from '../../src/store/db.ts';

/**
 * One mutating operation per cluster at a time. The service runs without workers here, so each
 * operation stays PENDING until the test runs it: the conflicts are deterministic.
 */
let h: Harness;
let token: string;
let tenantId: string;

before(async () => {
  h = await startHarness({ role: 'api' });
  ({ token, id: tenantId } = await h.tenant());
});
after(() => h.stop());

const run = (operationId: string) => {
  const { database, store, log } = h.runtime.deps;
  return runOperation({ database, store, log, now: () => Date.now() }, operationId);
};

async function assertBusy(method: string, path: string, body: unknown, operationId: string, type: string) {
  const r = await h.request(method, path, { token, body });
  assert.equal(r.status, 409, `${method} ${path}: ${r.text}`);
  assert.equal(r.body.error.code, 'CONFLICT');
  assert.equal(r.body.error.details.operationId, operationId);
  assert.ok(r.body.error.message.includes(operationId) && r.body.error.message.includes(type), r.body.error.message);
}

const resize = (count: number) => ({ nodePools: [{ name: 'default', count, maxCount: 10 }] });

test('while a cluster is being created, changes and deletion are 409 naming the CREATE_CLUSTER operation', async () => {
  const created = await h.request('POST', '/v1/clusters', { token, body: defaultClusterBody() });
  const { id, operation } = created.body;
  assert.equal(operation.status, 'PENDING');
  await assertBusy('PATCH', `/v1/clusters/${id}`, resize(4), operation.id, 'CREATE_CLUSTER');
  await assertBusy('PATCH', `/v1/clusters/${id}`, { labels: { team: 'a' } }, operation.id, 'CREATE_CLUSTER');
  await assertBusy('DELETE', `/v1/clusters/${id}`, undefined, operation.id, 'CREATE_CLUSTER');
  await run(operation.id);
  const op = await h.request('GET', `/v1/operations/${operation.id}`, { token });
  assert.equal(op.body.status, 'SUCCEEDED');
  assert.ok(op.body.startedAt && op.body.finishedAt);
  assert.equal((await h.request('GET', `/v1/clusters/${id}`, { token })).body.status, 'RUNNING');
});

test('a resize blocks a second resize and a delete; after it, a delete blocks everything until the cluster is gone', async () => {
  const created = await h.request('POST', '/v1/clusters', { token, body: defaultClusterBody() });
  const id = created.body.id;
  await run(created.body.operation.id);

  const grow = await h.request('PATCH', `/v1/clusters/${id}`, { token, body: resize(5) });
  assert.equal(grow.status, 202);
  assert.equal(grow.body.status, 'UPDATING');
  const update = grow.body.operation;
  assert.equal(update.type, 'UPDATE_CLUSTER');
  await assertBusy('PATCH', `/v1/clusters/${id}`, resize(6), update.id, 'UPDATE_CLUSTER');
  await assertBusy('PATCH', `/v1/clusters/${id}`, { labels: { team: 'b' } }, update.id, 'UPDATE_CLUSTER');
  await assertBusy('DELETE', `/v1/clusters/${id}`, undefined, update.id, 'UPDATE_CLUSTER');
  await run(update.id);
  assert.equal((await h.runtime.deps.store.list(id, 'nodes')).items.length, 5);

  const labels = await h.request('PATCH', `/v1/clusters/${id}`, { token, body: { labels: { team: 'c' } } });
  assert.equal(labels.status, 200, 'a label change is not an operation');
  assert.deepEqual(labels.body.labels, { team: 'c' });

  const del = await h.request('DELETE', `/v1/clusters/${id}`, { token });
  assert.equal(del.status, 202);
  const remove = del.body.operation;
  await assertBusy('DELETE', `/v1/clusters/${id}`, undefined, remove.id, 'DELETE_CLUSTER');
  await assertBusy('PATCH', `/v1/clusters/${id}`, resize(1), remove.id, 'DELETE_CLUSTER');
  await run(remove.id);
  assert.equal((await h.request('GET', `/v1/clusters/${id}`, { token })).body.status, 'DELETED');
  assert.equal((await h.request('DELETE', `/v1/clusters/${id}`, { token })).status, 404);
  const late = await h.request('PATCH', `/v1/clusters/${id}`, { token, body: resize(2) });
  assert.equal(late.status, 409);
  assert.match(late.body.error.message, /DELETED/);
});

test('of simultaneous changes to one cluster exactly one is accepted; the others name it', async () => {
  const created = await h.request('POST', '/v1/clusters', { token, body: defaultClusterBody() });
  const id = created.body.id;
  await run(created.body.operation.id);
  const answers = await Promise.all([
    ...[4, 5, 6, 7, 8].map((n) => h.request('PATCH', `/v1/clusters/${id}`, { token, body: resize(n) })),
    h.request('DELETE', `/v1/clusters/${id}`, { token }),
  ]);
  const accepted = answers.filter((r) => r.status === 202);
  assert.equal(accepted.length, 1, answers.map((r) => r.status).join(','));
  const winner = accepted[0].body.operation.id;
  for (const r of answers.filter((a) => a !== accepted[0])) {
    assert.equal(r.status, 409);
    assert.equal(r.body.error.details.operationId, winner);
  }
});

test('two API processes racing past the check: the guarded write lets one operation through', async () => {
  const created = await h.request('POST', '/v1/clusters', { token, body: defaultClusterBody() });
  const id = created.body.id;
  await run(created.body.operation.id);
  const database = h.runtime.deps.database;
  // The first writer has read "RUNNING, nothing in flight" and stalls before writing, as another process would.
  const race = async <T extends { operation?: { id: string } }>(change: (db: Database) => Promise<T>) => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const stalled: Database = { ...database, atomicWrite: async (stmts) => (await gate, database.atomicWrite(stmts)) };
    const loser = change(stalled);
    const winner = await change(database);
    release();
    await assert.rejects(loser, (err: unknown) => err instanceof ServiceError && err.code === 'conflict' && err.details.operationId === winner.operation!.id);
    await run(winner.operation!.id);
  };
  await race((db) => updateCluster(db, tenantId, id, resize(4), Date.now()));
  await race((db) => deleteCluster(db, tenantId, id, Date.now()));
  assert.equal((await h.request('GET', `/v1/clusters/${id}`, { token })).body.status, 'DELETED');
});
