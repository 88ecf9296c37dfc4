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
const operations = Object.entries(spec.paths as Record<string, Record<string, any>>).flatMap(([path, ops]) =>
  Object.entries(ops).map(([method, op]) => ({ path, method, op })),
);

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

test('GET /docs is the Swagger UI reference over /openapi.yaml, its library served from this origin', async () => {
  const r = await h.request('GET', '/docs');
  assert.equal(r.status, 200);
  assert.match(String(r.headers['content-type']), /^text\/html/);
  assert.match(r.text, /^<!doctype html>/i);
  assert.match(String(r.headers['content-security-policy']), /script-src 'self'/);
  const scripts = [...r.text.matchAll(/src="([^"]+)"/g)].map((m) => m[1]!);
  assert.deepEqual(scripts, ['/console/vendor/swagger-ui-bundle.js', '/console/docs.js'], 'no script from another origin');
  const bundle = await h.request('GET', '/console/vendor/swagger-ui-bundle.js');
  assert.equal(bundle.status, 200);
  assert.ok(bundle.text.includes('SwaggerUIBundle'));
  assert.ok((await h.request('GET', '/console/docs.js')).text.includes("url: '/openapi.yaml'"));
});

test('Redocly lint (its recommended rules) finds nothing in openapi.yaml', async () => {
  const { execFile } = await import('node:child_process');
  const result = await new Promise<{ code: number; out: string }>((done) =>
    execFile(
      resolve(import.meta.dirname, '../../node_modules/.bin/redocly'),
      ['lint', '--format=stylish', 'openapi.yaml'],
      { cwd: resolve(import.meta.dirname, '../..'), env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' } },
      (err, stdout, stderr) => done({ code: err ? Number(err.code ?? 1) : 0, out: stdout + stderr }),
    ),
  );
  assert.equal(result.code, 0, result.out);
  assert.match(result.out, /Your API description is valid/, result.out);
  assert.doesNotMatch(result.out, /You have \d+ warning|Validation failed/, result.out);
});

test('every operation has a unique operationId, bearer security (except the token exchange) and the shared error responses', () => {
  const ids = operations.map((o) => o.op.operationId);
  assert.equal(new Set(ids).size, ids.length);
  for (const { path, method, op } of operations) {
    const where = `${method.toUpperCase()} ${path}`;
    if (op.operationId === 'createToken') assert.deepEqual(op.security, [], where);
    else assert.deepEqual(op.security, [{ bearerAuth: [] }], where);
    for (const status of ['401', '429'])
      assert.equal(op.responses[status]?.content?.['application/json']?.schema?.$ref, '#/components/schemas/Error', `${where} ${status}`);
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
