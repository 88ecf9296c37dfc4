import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import type { Browser, Download, Page } from 'playwright-core';
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
  // The scale-up reaches the monitoring report when its snapshot is written, which a loaded machine
  // delays: wait for it there, then change the range, which reloads the page's report.
  await h.waitFor(
    async () => (await h.request('GET', `/v1/clusters/${cluster.id}/monitoring?range=1h`, { token: owner.token })).body.hpaDecisions.length > 0,
    'the scale-up in the report',
    60_000,
  );
  await page.selectOption('#range', '1h');
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

  await browseKubernetesObjects(page, cluster.id);
  await managePoolsAndAccess(page, cluster.id);
  await budgetsAndAlerts(page);
  // The tenant-wide budget counts this cluster too: its overview lists it.
  await page.goto(`${h.url}/#/clusters/${cluster.id}`);
  await page.locator('#cluster-budgets li[data-budget="team-web"]').waitFor();
  assert.match((await page.locator('#cluster-budgets li[data-budget="team-web"]').textContent()) ?? '', /\$0\.01 a month for all clusters/);

  await page.click('a[href="#/invoices"]');
  await page.locator('#invoices tbody tr').first().waitFor();
  await page.locator('#invoice-lines').waitFor();
  const [csv] = await Promise.all([page.waitForEvent('download'), page.click('#invoice-csv')]);
  assert.match(csv.suggestedFilename(), /^invoice-\d{4}-\d{2}\.csv$/);
  assert.match(await readDownload(csv), /^[^\n]*amount/i, 'a CSV with a header line');
  await page.screenshot({ path: `${OUT}/console-invoices.png` });

  // Deleting asks for the cluster's name; the button stays disabled until it is typed exactly.
  await page.click('a[href="#/clusters"]');
  await page.click('tr[data-cluster="web-shop"] button[data-delete]');
  await page.locator('#delete-dialog').waitFor();
  assert.equal(await page.locator('#confirm-delete').isDisabled(), true);
  await page.fill('#confirm-name', 'web-sho');
  assert.equal(await page.locator('#confirm-delete').isDisabled(), true);
  await page.fill('#confirm-name', 'web-shop');
  await page.screenshot({ path: `${OUT}/console-delete.png` });
  await page.click('#confirm-delete');
  await page.locator('tr[data-cluster="web-shop"]').waitFor({ state: 'detached', timeout: 30_000 });
  assert.equal((await h.request('GET', `/v1/clusters/${cluster.id}`, { token: owner.token })).body.status, 'DELETED');
  assert.deepEqual(problems, [], 'no script errors in the page');
  await context.close();
});

async function readDownload(d: Download): Promise<string> {
  const path = await d.path();
  return readFileSync(path, 'utf8');
}

/** More kinds beside the Deployment, so the workloads tab has one of each. */
async function moreWorkloads(clusterId: string): Promise<void> {
  const { store } = h.runtime.deps;
  const template = (app: string) => ({
    metadata: { labels: { app } },
    spec: { containers: [{ name: app, image: 'nginx:1.27', resources: { requests: { cpu: '50m', memory: '32Mi' } } }] },
  });
  await store.create(clusterId, 'services', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'default' },
    spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 80 }] },
  } as never);
  await store.create(clusterId, 'statefulsets.apps', {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'db', namespace: 'default' },
    spec: { replicas: 1, serviceName: 'db', selector: { matchLabels: { app: 'db' } }, template: template('db') },
  } as never);
  await store.create(clusterId, 'daemonsets.apps', {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent', namespace: 'kube-system' },
    spec: { selector: { matchLabels: { app: 'agent' } }, template: template('agent') },
  } as never);
  await store.create(clusterId, 'jobs.batch', {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'migrate', namespace: 'default' },
    spec: { template: { ...template('migrate'), spec: { ...template('migrate').spec, restartPolicy: 'Never' } } },
  } as never);
}

/** Nodes, workloads, pods (logs, YAML), Services and events of the cluster, as tabs. */
async function browseKubernetesObjects(page: Page, clusterId: string): Promise<void> {
  await moreWorkloads(clusterId);
  await page.click('#tabs a[data-tab="nodes"]');
  await page.locator('#nodes tbody tr[data-node]').first().waitFor();
  assert.equal(await page.locator('#nodes tbody tr[data-node]').count(), 2);
  const node = page.locator('#nodes tbody tr[data-node]').first();
  assert.equal((await node.locator('td').nth(1).textContent())?.trim(), 'default', 'the pool');
  assert.equal((await node.locator('td').nth(2).textContent())?.trim(), 'Ready');
  assert.match((await node.locator('td').nth(4).textContent()) ?? '', /^\S+ \/ \S+ \(\d+%\)$/, 'CPU requested / allocatable');
  await page.screenshot({ path: `${OUT}/console-nodes.png` });

  await page.click('#tabs a[data-tab="workloads"]');
  for (const w of ['Deployment/default/web', 'StatefulSet/default/db', 'DaemonSet/kube-system/agent', 'Job/default/migrate'])
    await page.locator(`#workloads tr[data-workload="${w}"]`).waitFor();
  assert.equal((await page.locator('#workloads tr[data-workload="Deployment/default/web"] td').nth(3).textContent())?.trim(), '4/4');
  await h.waitFor(
    async () => (await page.reload(), await page.locator('#workloads tr[data-workload="Job/default/migrate"] td').nth(3).textContent())?.trim() === '1/1',
    'the Job completes in the table',
    30_000,
  );
  await page.screenshot({ path: `${OUT}/console-workloads.png` });

  await page.click('#tabs a[data-tab="pods"]');
  const pod = page.locator('#pods tbody tr[data-pod^="default/web-"]').first();
  await pod.waitFor();
  assert.equal((await pod.locator('td').nth(2).textContent())?.trim(), 'Running');
  assert.match((await pod.locator('td').nth(5).textContent()) ?? '', /\S/, 'the node it runs on');
  await pod.locator('button[data-logs]').click();
  await page.locator('#logs-dialog').waitFor();
  await h.waitFor(async () => ((await page.locator('#logs').textContent()) ?? 'loading…') !== 'loading…', 'logs loaded');
  assert.match((await page.locator('#logs').textContent()) ?? '', /\S/);
  await page.screenshot({ path: `${OUT}/console-logs.png` });
  await page.click('#logs-dialog button.close');
  await pod.locator('button[data-yaml]').click();
  await page.locator('#yaml-dialog').waitFor();
  const yaml = (await page.locator('#yaml').textContent()) ?? '';
  assert.match(yaml, /^apiVersion: v1\nkind: Pod\n/);
  assert.match(yaml, /nodeName: /);
  await page.screenshot({ path: `${OUT}/console-yaml.png` });
  await page.click('#yaml-dialog button.close');

  await page.click('#tabs a[data-tab="services"]');
  await page.locator('#services tr[data-service="default/web"]').waitFor();
  assert.match((await page.locator('#services tr[data-service="default/web"]').textContent()) ?? '', /ClusterIP.*80\/TCP/);
  await page.click('#tabs a[data-tab="events"]');
  await page.locator('#kube-events tbody tr').first().waitFor();
  assert.ok((await page.locator('#kube-events tbody tr').count()) > 1);
  await page.screenshot({ path: `${OUT}/console-events.png` });
}

/** Resize the pool and set autoscaling bounds; download the kubeconfig. */
async function managePoolsAndAccess(page: Page, clusterId: string): Promise<void> {
  await page.click('#tabs a[data-tab="settings"]');
  const pool = page.locator('#node-pools tr[data-pool="default"]');
  await pool.waitFor();
  await pool.locator('input[data-field="maxCount"]').fill('4');
  await pool.locator('input[data-field="count"]').fill('3');
  await pool.locator('button[data-save-pool]').click();
  await h.waitFor(async () => (await h.runtime.deps.store.list(clusterId, 'nodes')).items.length === 3, 'a third node', 30_000);
  const pools = (await h.request('GET', `/v1/clusters/${clusterId}`, { token: owner.token })).body.nodePools;
  assert.deepEqual([pools[0].count, pools[0].minCount, pools[0].maxCount], [3, 2, 4]);
  await page.locator('#node-pools .badge.RUNNING').waitFor({ timeout: 30_000 });
  await page.screenshot({ path: `${OUT}/console-node-pools.png` });

  const [kubeconfig] = await Promise.all([page.waitForEvent('download'), page.click('#download-kubeconfig')]);
  assert.equal(kubeconfig.suggestedFilename(), 'kubeconfig-web-shop.yaml');
  const text = await readDownload(kubeconfig);
  assert.match(text, /kind: Config/);
  // The server is the service's root, as the clouds give it; the token names the cluster.
  assert.match(text, /server: https:\/\/[^/\s]+\n/);
}

async function budgetsAndAlerts(page: Page): Promise<void> {
  await page.click('a[href="#/budgets"]');
  await page.fill('#budget-name', 'team-web');
  await page.fill('#budget-amount', '0.01');
  await page.fill('#budget-thresholds', '50, 100');
  assert.ok((await page.locator('#budget-scope option').allTextContents()).includes('cluster web-shop'), 'a budget can count one cluster');
  await page.click('#create-budget button[type=submit]');
  const row = page.locator('#budgets tr[data-budget="team-web"]');
  await row.waitFor();
  assert.match((await row.textContent()) ?? '', /\$0\.01.*50%, 100%/);
  await page.locator('#alerts').waitFor();
  await page.screenshot({ path: `${OUT}/console-budgets.png` });
}

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
