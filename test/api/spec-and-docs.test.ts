import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { startHarness, type Harness } from '../helpers/harness.ts';

/** The contract as served: /openapi.yaml is the committed file, /docs renders it, and it covers every /v1 operation. */
let h: Harness;
const committed = readFileSync(resolve(import.meta.dirname, '../../openapi.yaml'), 'utf8');
const spec = parse(committed);
const operations = Object.entries(spec.paths as Record<string, Record<string, any>>).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ path, method, op })));

before(async () => {
  h = await startHarness();
});
after(() => h.stop());

test('GET /openapi.yaml serves exactly the committed openapi.yaml', async () => {
  const r = await h.request('GET', '/openapi.yaml');
  assert.equal(r.status, 200);
  assert.match(String(r.headers['content-type']), /^application\/yaml/);
  assert.ok(r.text === committed, 'the served spec differs from the committed file: run `npm run openapi` and commit it');
  assert.equal(spec.openapi, '3.1.0');
});

test('GET /docs is an HTML reference listing every operation', async () => {
  const r = await h.request('GET', '/docs');
  assert.equal(r.status, 200);
  assert.match(String(r.headers['content-type']), /^text\/html/);
  assert.match(r.text, /^<!doctype html>/i);
  assert.ok(r.text.includes(spec.info.title));
  assert.ok(r.text.includes('href="/openapi.yaml"'));
  for (const { path, method } of operations) assert.ok(r.text.includes(`<code>${path}</code>`) && r.text.includes(`>${method.toUpperCase()}<`), `${method} ${path}`);
});

test('every operation has a unique operationId, bearer security (except the token exchange) and the shared error responses', () => {
  const ids = operations.map((o) => o.op.operationId);
  assert.equal(new Set(ids).size, ids.length);
  for (const { path, method, op } of operations) {
    const where = `${method.toUpperCase()} ${path}`;
    if (op.operationId === 'createToken') assert.equal(op.security, undefined, where);
    else assert.deepEqual(op.security, [{ bearerAuth: [] }], where);
    for (const status of ['401', '429']) assert.equal(op.responses[status]?.content?.['application/json']?.schema?.$ref, '#/components/schemas/Error', `${where} ${status}`);
    assert.ok(op.responses['429'].headers?.['Retry-After'], `${where} documents Retry-After`);
    if (op.requestBody) for (const status of ['400', '413', '415', '422']) assert.ok(op.responses[status], `${where} takes a body, so lists ${status}`);
    if (/\{\w+Id\}/.test(path)) assert.ok(op.responses['404'], `${where} names a resource by id, so lists 404`);
  }
  assert.deepEqual(spec.components.securitySchemes.bearerAuth, { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
});

test('/healthz answers without a token; unknown /v1 paths answer the error shape', async () => {
  const health = await h.request('GET', '/healthz');
  assert.equal(health.status, 200);
  assert.deepEqual(health.body, { status: 'ok' });
  const token = (await h.tenant()).token;
  const missing = await h.request('GET', '/v1/nothing-here', { token, noContract: true });
  assert.equal(missing.status, 404);
  assert.equal(missing.body.error.code, 'NOT_FOUND');
  assert.ok(missing.headers['x-request-id']);
});
