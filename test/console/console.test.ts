import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { ManualClock } from '../helpers/store.ts';
import { webDeployment, webHpa } from '../monitoring/scenario.ts';
import { launchChromium } from './browser.ts';

const OUT = 'test-results';
let h: Harness;
let clock: ManualClock;
let ticker: NodeJS.Timeout;
let browser: Browser;
let owner: { id: string; key: string; token: string };

before(async () => {
  // The cluster clock runs 25× faster than ours so the charts have minutes of history within seconds.
  clock = new ManualClock(Date.now());
  ticker = setInterval(() => clock.advance(1000), 40);
  h = await startHarness({ clock });
  owner = await h.tenant();
  browser = await launchChromium();
  mkdirSync(OUT, { recursive: true });
});
after(async () => {
  await browser?.close();
  clearInterval(ticker);
  await h?.stop();
});

async function readyReplicas(clusterId: string): Promise<number> {
  return (await h.runtime.deps.store.get(clusterId, 'deployments.apps', 'default', 'web'))?.status?.readyReplicas ?? 0;
}

/** Runs a workload on the cluster the way kubectl would: 2 replicas at 50% of their CPU request, and
 * an HPA with a 25% target that scales them to its maximum of 4. */
async function runWorkload(clusterId: string): Promise<void> {
  const { store } = h.runtime.deps;
  await store.create(clusterId, 'deployments.apps', webDeployment(2));
  await h.waitFor(async () => (await readyReplicas(clusterId)) === 2, 'web ready', 60_000);
  await new Promise((r) => setTimeout(r, 2500));
  await store.create(clusterId, 'horizontalpodautoscalers.autoscaling', webHpa(4, 25));
  await h.waitFor(async () => (await readyReplicas(clusterId)) === 4, 'web scaled to 4', 60_000);
  await new Promise((r) => setTimeout(r, 2500));
}

async function signIn(page: Page): Promise<void> {
  await page.goto(`${h.url}/`);
  await page.fill('#api-key', owner.key);
  await page.click('#sign-in');
  await page.waitForSelector('table#clusters');
}

test('sign in, create a cluster, see it RUNNING, open its charts and cost comparison, read invoices, delete it', async () => {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('dialog', (d) => void d.accept());

  await signIn(page);
  await page.fill('#new-name', 'web-shop');
  await page.selectOption('#new-provider', 'eks');
  await page.fill('#new-count', '2');
  await page.click('#create-cluster button[type=submit]');
  const row = page.locator('tr[data-cluster="web-shop"]');
  await row.locator('.badge.RUNNING').waitFor({ timeout: 30_000 });
  assert.equal((await row.locator('td').nth(3).textContent())?.trim(), '2', 'two nodes');

  const cluster = (await h.request('GET', '/v1/clusters', { token: owner.token })).body.items.find((c: any) => c.name === 'web-shop');
  await runWorkload(cluster.id);
  await page.reload();
  await page.locator('tr[data-cluster="web-shop"] .badge.RUNNING').waitFor();
  await page.screenshot({ path: `${OUT}/console-clusters.png` });

  await page.click('tr[data-cluster="web-shop"] a');
  await page.waitForSelector('#health .badge');
  await page.selectOption('#range', '15m');
  for (const id of ['chart-cpu', 'chart-memory', 'chart-replicas', 'chart-nodes', 'chart-pods']) await page.locator(`#${id} canvas`).waitFor();
  await page.locator('#hpa-decisions li').first().waitFor();
  assert.match((await page.locator('#hpa-decisions li').first().textContent()) ?? '', /2 → 4 replicas/);
  await page.locator('#cost-comparison .bar').first().waitFor();
  const bars = await page.locator('#cost-comparison .bar').count();
  assert.ok(bars >= 3, `one bar per provider and tier (${bars})`);
  assert.equal(await page.locator('#cost-comparison .bar.actual').count(), 1);
  assert.ok((await page.locator('#events tbody tr').count()) > 0, 'events are listed');
  assert.equal((await page.locator('#health .stat b').first().textContent())?.trim(), '2/2');
  await page.screenshot({ path: `${OUT}/console-cluster.png`, fullPage: true });
  await page.screenshot({ path: `${OUT}/console-overview.png` });

  await page.click('a[href="#/invoices"]');
  await page.locator('#invoices tbody tr').first().waitFor();
  await page.locator('#invoice-lines').waitFor();
  await page.screenshot({ path: `${OUT}/console-invoices.png` });

  await page.click('a[href="#/clusters"]');
  await page.click('tr[data-cluster="web-shop"] button[data-delete]');
  await page.locator('tr[data-cluster="web-shop"]').waitFor({ state: 'detached', timeout: 30_000 });
  assert.equal((await h.request('GET', `/v1/clusters/${cluster.id}`, { token: owner.token })).body.status, 'DELETED');
  assert.deepEqual(problems, [], 'no script errors in the page');
  await context.close();
});

test('a wrong API key is refused on the sign-in page', async () => {
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  const page = await context.newPage();
  await page.goto(`${h.url}/`);
  await page.fill('#api-key', 'not-a-key');
  await page.click('#sign-in');
  await page.locator('.signin .error:not(:empty)').waitFor();
  assert.equal(await page.locator('table#clusters').count(), 0);
  await context.close();
});
