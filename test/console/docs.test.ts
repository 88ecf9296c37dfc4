import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import type { Browser } from 'playwright-core';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { launchChromium } from './browser.ts';

/** /docs in Chromium: Swagger UI renders every operation with its schemas, and "Try it out" really calls the API. */
const OUT = 'test-results';
let h: Harness;
let browser: Browser;

before(async () => {
  h = await startHarness();
  browser = await launchChromium();
  mkdirSync(OUT, { recursive: true });
});
after(async () => {
  await browser?.close();
  await h?.stop();
});

test('the API reference lists every operation, shows schemas and examples, and Try it out signs in', async () => {
  const spec = parse(readFileSync(resolve(import.meta.dirname, '../../openapi.yaml'), 'utf8'));
  const count = Object.values(spec.paths as Record<string, object>).reduce((n, ops) => n + Object.keys(ops).length, 0);
  const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const problems: string[] = [];
  const offOrigin: string[] = [];
  page.on('pageerror', (e) => problems.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('request', (r) => !r.url().startsWith(h.url) && !r.url().startsWith('data:') && offOrigin.push(r.url()));

  await page.goto(`${h.url}/docs`);
  await page.locator('.opblock').first().waitFor({ timeout: 30_000 });
  assert.equal(await page.locator('.opblock').count(), count, 'one block per operation');
  assert.ok((await page.locator('.opblock-summary-path').allTextContents()).some((p) => p.replace(/\u200b/g, '') === '/v1/clusters'));
  await page.screenshot({ path: `${OUT}/docs.png` });

  const token = page.locator('#operations-auth-createToken');
  await token.locator('.opblock-summary').click();
  await token.locator('button.try-out__btn').click();
  const key = h.adminKey;
  await token.locator('textarea.body-param__text').fill(JSON.stringify({ apiKey: key }));
  await token.locator('button.execute').click();
  const live = token.locator('.live-responses-table .response .response-col_status');
  await live.first().waitFor();
  assert.equal((await live.first().textContent())?.trim(), '200');
  assert.match((await token.locator('.live-responses-table .microlight').first().textContent()) ?? '', /accessToken/);
  await token.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${OUT}/docs-try-it.png`, fullPage: false });

  const create = page.locator('#operations-clusters-createCluster');
  await create.locator('.opblock-summary').click();
  await create.locator('.model-example').first().waitFor();
  assert.match((await create.locator('.body-param__example, .highlight-code').first().textContent()) ?? '', /nodePools/, 'the request body example is shown');

  assert.deepEqual(offOrigin, [], 'nothing is fetched from another origin');
  assert.deepEqual(problems, [], 'no script errors (the CSP allows what the page needs)');
  await context.close();
});
