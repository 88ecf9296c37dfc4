import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { eq, inArray, sql } from 'drizzle-orm';
import { WriteConflictError } from '../../src/store/db.ts';
import { ObjectStore } from '../../src/store/objects.ts';
import { StoreError } from '../../src/store/errors.ts';
import { clusters } from '../../src/store/schema/index.ts';
import { D1_MAX_BOUND_PARAMETERS, isGuardFailure, TooManyParametersError } from '../../src/platform/workers/d1.ts';
import { d1RateLimiter } from '../../src/platform/workers/rate-limiter.ts';
import { perMinute } from '../../src/lib/gcra.ts';
import { pollingChangeFeed } from '../../src/platform/workers/polling-feed.ts';
import type { WatchEvent } from '../../src/kube/types.ts';
import { exportJWK, generateKeyPair } from 'jose';
import { SigningKeys } from '../../src/auth/signing-keys.ts';
import { installSigningKeyFromSecret } from '../../src/platform/workers/signing-secret.ts';
import { addClusterRow, ManualClock } from '../helpers/store.ts';
import { startLocalD1 } from './local-d1.ts';

let d1: Awaited<ReturnType<typeof startLocalD1>>;
before(async () => {
  d1 = await startLocalD1();
});
after(() => d1.dispose());

const cm = (name: string, data: Record<string, string> = {}) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data });
const nameOf = async (id: string) => (await d1.database.db.select({ name: clusters.name }).from(clusters).where(eq(clusters.id, id)).get())?.name;

test('a failed expectChanges rolls back every statement of the batch, earlier ones included', async () => {
  const { database } = d1;
  await addClusterRow(database, 'cls_guard', Date.now());
  await assert.rejects(
    database.atomicWrite([
      { query: database.db.update(clusters).set({ name: 'renamed' }).where(eq(clusters.id, 'cls_guard')) },
      { query: database.db.update(clusters).set({ name: 'other' }).where(eq(clusters.id, 'cls_missing')), expectChanges: 1 },
    ]),
    WriteConflictError,
  );
  assert.equal(await nameOf('cls_guard'), 'cls-guard');

  // Met expectations (including "no row changed") let the batch through, and the guard table stays empty.
  await database.atomicWrite([
    { query: database.db.update(clusters).set({ name: 'renamed' }).where(eq(clusters.id, 'cls_guard')), expectChanges: 1 },
    { query: database.db.update(clusters).set({ name: 'other' }).where(eq(clusters.id, 'cls_missing')), expectChanges: 0 },
  ]);
  assert.equal(await nameOf('cls_guard'), 'renamed');
  const guards = await database.db.get<{ n: number }>(sql`SELECT count(*) AS n FROM write_guards`);
  assert.equal(guards.n, 0);
});

test('other failures are not mistaken for conflicts', async () => {
  const { database } = d1;
  await addClusterRow(database, 'cls_dup', Date.now());
  await assert.rejects(addClusterRow(database, 'cls_dup', Date.now()), (e: Error) => !(e instanceof WriteConflictError) && !isGuardFailure(e));
});

test('the object store on D1: revisions, conflicts and the watch log behave as on SQLite', async () => {
  const clock = new ManualClock();
  const store = new ObjectStore(d1.database, clock);
  await addClusterRow(d1.database, 'cls_store', clock.now());
  const a = await store.create('cls_store', 'configmaps', cm('a'));
  const a2 = await store.update('cls_store', 'configmaps', { ...a, data: { x: '1' } });
  await assert.rejects(store.update('cls_store', 'configmaps', { ...a, data: { x: '2' } }), (e: StoreError) => e.reason === 'Conflict');
  await store.delete('cls_store', 'configmaps', 'default', 'a');
  const events = await store.eventsSince('cls_store', 0);
  assert.deepEqual(
    events.map((e) => [e.type, e.resourceVersion]),
    [
      ['ADDED', 1],
      ['MODIFIED', 2],
      ['DELETED', 3],
    ],
  );
  assert.equal(a2.metadata.resourceVersion, '2');
});

test('writers in separate isolates (separate stores over one D1) serialize on the cluster revision and lose nothing', async () => {
  const clock = new ManualClock();
  const stores = [new ObjectStore(d1.database, clock), new ObjectStore(d1.database, clock), new ObjectStore(d1.database, clock)];
  await addClusterRow(d1.database, 'cls_race', clock.now());
  await Promise.all(Array.from({ length: 30 }, (_, i) => stores[i % 3].create('cls_race', 'configmaps', cm(`p${i}`))));
  const all = await stores[0].list('cls_race', 'configmaps');
  assert.equal(all.items.length, 30);
  assert.deepEqual(
    all.items.map((o) => Number(o.metadata.resourceVersion)).sort((x, y) => x - y),
    Array.from({ length: 30 }, (_, i) => i + 1),
  );
  assert.equal(await stores[1].currentRevision('cls_race'), 30);
});

test('the D1 rate limiter is a GCRA budget: a burst straddling a minute edge gets the burst, not two windows', async () => {
  let now = Date.parse('2026-03-01T10:00:59.500Z');
  const limiter = d1RateLimiter(d1.database, () => now);
  const rate = perMinute(60, 5); // one a second, five at once
  const burst = async (n: number) => (await Promise.all(Array.from({ length: n }, () => limiter.hit('tenant:a', rate)))).filter((w) => w === 0).length;
  assert.equal(await burst(30), 5, 'the burst, concurrent hits included');
  assert.equal(await limiter.hit('tenant:a', rate), 1, 'the next one waits a second');
  now += 600; // 10:01:00.100, a fixed window would start afresh here
  assert.equal(await burst(30), 0, 'a new minute gives nothing back');
  now += 1400; // two seconds after the first burst: two requests' worth
  assert.equal(await burst(30), 2);
  assert.equal(await limiter.hit('tenant:b', rate), 0, 'keys are counted apart');
  assert.equal(await limiter.hit('tenant:a', rate, -1), 0, 'a refund');
  assert.equal(await limiter.hit('tenant:a', rate), 0, 'gives one request back');
  now += 60_000;
  assert.equal(await burst(30), 5, 'a quiet minute restores the burst, no more');
});

test('the polling feed delivers commits made by another store, in revision order, and stops when unsubscribed', async () => {
  const clock = new ManualClock();
  const writer = new ObjectStore(d1.database, clock);
  const reader = new ObjectStore(d1.database, clock);
  await addClusterRow(d1.database, 'cls_feed', clock.now());
  for (let i = 0; i < 3; i++) await writer.create('cls_feed', 'configmaps', cm(`old${i}`));
  const feed = pollingChangeFeed(reader, { intervalMs: 10, overlapRevisions: 1 });
  const seen: WatchEvent[] = [];
  const unsubscribe = feed.subscribe('cls_feed', (events) => seen.push(...events));
  await writer.create('cls_feed', 'configmaps', cm('new1'));
  await writer.create('cls_feed', 'configmaps', cm('new2'));
  const deadline = Date.now() + 10_000;
  while (!seen.some((e) => e.object.metadata.name === 'new2') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  unsubscribe();
  const revisions = seen.map((e) => e.resourceVersion);
  assert.deepEqual(
    revisions,
    [...revisions].sort((x, y) => x - y),
    'in order',
  );
  assert.deepEqual(
    seen.filter((e) => e.resourceVersion > 3).map((e) => e.object.metadata.name),
    ['new1', 'new2'],
  );
  assert.ok(revisions[0] >= 3, 'starts at most overlapRevisions before the revision current at subscribe time');
  const count = seen.length;
  await writer.create('cls_feed', 'configmaps', cm('after'));
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(seen.length, count, 'nothing after unsubscribe');
});

test("D1's limit of 100 bound values per statement is enforced locally too, naming the statement", async () => {
  const { database } = d1;
  const ids = (n: number) => Array.from({ length: n }, (_, i) => `cls_${i}`);
  assert.deepEqual(
    await database.db
      .select()
      .from(clusters)
      .where(inArray(clusters.id, ids(D1_MAX_BOUND_PARAMETERS)))
      .all(),
    [],
  );
  await assert.rejects(
    async () =>
      database.db
        .select()
        .from(clusters)
        .where(inArray(clusters.id, ids(D1_MAX_BOUND_PARAMETERS + 1)))
        .all(),
    (e: Error) => {
      // drizzle wraps driver errors as their cause.
      const cause = e instanceof TooManyParametersError ? e : (e as Error & { cause?: unknown }).cause;
      return cause instanceof TooManyParametersError && /has 101: select/.test(cause.message);
    },
  );
});

test('a signing key given as a secret becomes the active key; the previous one stays published; installing again changes nothing', async () => {
  const { database } = d1;
  const keys = new SigningKeys(database);
  const generated = await keys.signingKey();
  const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const secret = JSON.stringify(await exportJWK(privateKey));
  const kid = await installSigningKeyFromSecret(database, secret, Date.now());
  assert.equal(await installSigningKeyFromSecret(database, secret, Date.now()), kid);
  assert.equal((await new SigningKeys(database).signingKey()).kid, kid, 'a fresh isolate signs with the secret key');
  const published = (await keys.jwks()).keys.map((k) => k.kid);
  assert.ok(published.includes(kid) && published.includes(generated.kid));
  await assert.rejects(installSigningKeyFromSecret(database, JSON.stringify({ kty: 'RSA' }), Date.now()), /private Ed25519 JWK/);
});
