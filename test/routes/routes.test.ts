import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, type InProcessApp } from '../helpers/app.ts';
import { buildFixture, type Fixture } from './fixture.ts';
import { documentedOperations, operationOf, proof, type Kind, type RouteContext, type Sent } from './route-case.ts';
import { routeCases } from './cases/index.ts';

/**
 * Every /v1 operation in process (`app.request`, no listener, no workers): a happy path, an error
 * path and tenant isolation each, answers checked against openapi.yaml. A new operation fails the
 * coverage test below until it has its three cases.
 */
let app: InProcessApp;
let fx: Fixture;

before(async () => {
  app = await startApp();
  fx = await buildFixture(app);
});
after(() => app.stop());

test('every operation in openapi.yaml has a happy, an error and an isolation case', () => {
  const documented = documentedOperations();
  const covered = routeCases.map((c) => c.op);
  const missing = documented.filter((op) => !covered.includes(op));
  const stale = covered.filter((op) => !documented.includes(op));
  const twice = covered.filter((op, i) => covered.indexOf(op) !== i);
  assert.deepEqual({ missing, stale, twice }, { missing: [], stale: [], twice: [] }, 'every operation needs one case in test/routes/cases');
});

/** Runs one kind of a case, then checks it sent its own operation the request that proves it. */
async function run(op: string, kind: Kind, fn: (t: RouteContext) => Promise<void>) {
  const sent: Sent[] = [];
  const t: RouteContext = {
    fx,
    async call(as, method, path, opts = {}) {
      const token = as === 'anonymous' ? undefined : fx.tokens[as];
      const r = await app.request(method, path, { token, ...opts });
      sent.push({ op: operationOf(method, path), as, status: r.status });
      return r;
    },
  };
  await fn(t);
  const own = sent.filter((s) => s.op === op);
  assert.ok(own.some(proof[kind].holds), `the ${kind} case of ${op} must send it a request with ${proof[kind].what}; it sent ${JSON.stringify(own)}`);
}

for (const c of routeCases) {
  describe(c.op, () => {
    test('happy path', () => run(c.op, 'happy', c.happy));
    test('error path', () => run(c.op, 'error', c.error));
    test('tenant isolation', () => run(c.op, 'isolation', c.isolation));
  });
}
