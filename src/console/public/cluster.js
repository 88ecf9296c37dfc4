import { h, mount, badge, money, when, errorText } from './dom.js';
import { api } from './api.js';
import { lineChart } from './charts.js';
import { costComparison } from './costs.js';
import { readTab } from './resources.js';
import { accessCard, poolsCard } from './settings.js';
import { budgetCovers, scopeText } from './budgets.js';

/** The budgets that count this cluster's spend, with their alerts (owner and billing roles). */
async function budgetsCard(cluster) {
  const card = h(
    'div',
    { class: 'card', id: 'cluster-budgets' },
    h('div', { class: 'row' }, h('h2', {}, 'Budgets'), h('span', { class: 'spacer' }), h('a', { href: '#/budgets' }, 'Manage budgets')),
  );
  try {
    const [b, a] = await Promise.all([api('GET', '/v1/billing/budgets'), api('GET', '/v1/billing/alerts')]);
    const mine = b.items.filter((x) => budgetCovers(x, cluster));
    const alerts = a.items.filter((x) => mine.some((m) => m.id === x.budgetId)).slice(0, 5);
    card.append(
      mine.length
        ? h(
            'ul',
            {},
            ...mine.map((x) =>
              h(
                'li',
                { 'data-budget': x.name },
                `${x.name}: ${money(x.amount)} a month for ${scopeText(x.scope, new Map([[cluster.id, cluster.name]]))}, alerts at ${x.thresholds.map((t) => `${t}%`).join(', ')}${x.status?.spent ? `; spent ${money(x.status.spent)}` : ''}`,
              ),
            ),
          )
        : h('p', { class: 'muted' }, 'No budget counts this cluster.'),
      alerts.length
        ? h(
            'ul',
            { class: 'alerts' },
            ...alerts.map((x) =>
              h(
                'li',
                {},
                `${when(x.createdAt)}: ${x.thresholdPercent}% reached (${money(x.spent)} of ${money(x.budget)}${x.estimated && Number(x.estimated.amount) > 0 ? `, ${money(x.estimated)} estimated` : ''})`,
              ),
            ),
          )
        : '',
    );
  } catch (err) {
    card.append(h('p', { class: 'muted' }, err.status === 403 ? 'Your role cannot read budgets.' : err.message));
  }
  return card;
}

const TABS = [
  ['', 'Overview'],
  ['nodes', 'Nodes'],
  ['workloads', 'Workloads'],
  ['pods', 'Pods'],
  ['services', 'Services'],
  ['events', 'Events'],
  ['settings', 'Node pools & access'],
];

function tabBar(id, active) {
  return h(
    'nav',
    { class: 'tabs', id: 'tabs' },
    ...TABS.map(([tab, label]) =>
      h('a', { href: `#/clusters/${id}${tab ? `/${tab}` : ''}`, class: tab === active ? 'active' : undefined, 'data-tab': tab || 'overview' }, label),
    ),
  );
}

function clusterHeader(cluster) {
  return [
    h('h1', {}, cluster.name),
    badge(cluster.status),
    h('span', { class: 'muted' }, `${cluster.provider.toUpperCase()} ${cluster.tier} · ${cluster.region} · Kubernetes ${cluster.kubernetesVersion}`),
  ];
}

/** One tab of the cluster's Kubernetes objects, or its pools and access; refreshed every 10 s. */
export async function renderClusterTab(view, id, tab) {
  const error = h('div', { class: 'error', role: 'alert' });
  const header = h('div', { class: 'row' });
  const body = h('div', { class: 'card', id: `tab-${tab}` }, h('p', { class: 'muted' }, 'loading…'));
  mount(header, tabBar(id, tab), error, body);
  const load = async () => {
    try {
      const cluster = await api('GET', `/v1/clusters/${id}`);
      header.replaceChildren(...clusterHeader(cluster));
      if (tab === 'settings') {
        body.className = '';
        body.replaceChildren(
          poolsCard(cluster, load),
          accessCard(cluster, () => (location.hash = '#/clusters')),
        );
        if (['UPDATING', 'PROVISIONING'].includes(cluster.status)) view.every(1500, load);
        return;
      }
      // Keep an open <details> or scroll position: only the table is replaced.
      body.replaceChildren(await readTab(id, tab));
      error.textContent = '';
    } catch (err) {
      error.textContent = err.status === 403 ? 'Your role cannot open the Kubernetes API of this cluster (owner or developer).' : errorText(err);
    }
    view.every(10_000, load);
  };
  await load();
}

const RANGES = ['15m', '1h', '6h', '24h'];

function healthCard(hl) {
  const problems = [
    ...hl.nodes.notReady.map((n) => `node ${n.name}: ${n.reason} — ${n.message}`),
    ...hl.workloads.unavailable.map(
      (w) => `${w.kind.toLowerCase()} ${w.namespace}/${w.name}: ${w.available}/${w.desired} available — ${w.reason}: ${w.message}`,
    ),
    ...hl.crashLoopingPods.map(
      (p) =>
        `pod ${p.namespace}/${p.name} (${p.container}) crash-looping after ${p.restarts} restarts${p.lastTerminationReason ? ` — ${p.lastTerminationReason}` : ''}`,
    ),
    ...hl.unschedulablePods.map((p) => `pod ${p.namespace}/${p.name} unschedulable — ${p.message}`),
  ];
  return h(
    'div',
    { class: 'card', id: 'health' },
    h('div', { class: 'row' }, h('h2', {}, 'Health'), badge(hl.status)),
    h(
      'div',
      { class: 'stats' },
      h('div', { class: 'stat' }, h('b', {}, `${hl.nodes.ready}/${hl.nodes.total}`), 'nodes ready'),
      h('div', { class: 'stat' }, h('b', {}, `${hl.workloads.available}/${hl.workloads.total}`), 'workloads available'),
      h('div', { class: 'stat' }, h('b', {}, hl.crashLoopingPods.length), 'crash-looping pods'),
      h('div', { class: 'stat' }, h('b', {}, hl.unschedulablePods.length), 'unschedulable pods'),
    ),
    problems.length ? h('ul', {}, ...problems.map((p) => h('li', {}, p))) : null,
  );
}

function chartCard(id, title) {
  const box = h('div', { class: 'chart', id });
  return { card: h('div', { class: 'card' }, h('h2', {}, title), box), box };
}

function drawCharts(grid, r) {
  const ts = r.timestamps;
  const cards = {
    cpu: chartCard('chart-cpu', 'CPU utilization by pool'),
    mem: chartCard('chart-memory', 'Memory utilization by pool'),
    replicas: chartCard('chart-replicas', 'Deployment replicas'),
    nodes: chartCard('chart-nodes', 'Nodes by pool'),
    pods: chartCard('chart-pods', 'Pods by phase'),
  };
  grid.replaceChildren(...Object.values(cards).map((c) => c.card));
  const perPool = (f) => r.pools.flatMap(f);
  lineChart(
    cards.cpu.box,
    '',
    ts,
    perPool((p) => [
      { label: `${p.name} requests`, values: p.cpu.requestsPercent },
      { label: `${p.name} usage`, values: p.cpu.usagePercent },
    ]),
    { percent: true },
  );
  lineChart(
    cards.mem.box,
    '',
    ts,
    perPool((p) => [
      { label: `${p.name} requests`, values: p.memory.requestsPercent },
      { label: `${p.name} usage`, values: p.memory.usagePercent },
    ]),
    { percent: true },
  );
  const deps = r.deployments.slice(0, 4).flatMap((d) => [
    { label: `${d.name} desired`, values: d.desired },
    { label: `${d.name} ready`, values: d.ready },
  ]);
  lineChart(cards.replicas.box, '', ts, deps.length ? deps : [{ label: 'no Deployments', values: ts.map(() => null) }], { steps: true });
  lineChart(
    cards.nodes.box,
    '',
    ts,
    r.pools.map((p) => ({ label: p.name, values: p.nodes })),
    { steps: true },
  );
  lineChart(
    cards.pods.box,
    '',
    ts,
    ['Running', 'Pending', 'Succeeded', 'Failed'].map((ph) => ({ label: ph, values: r.pods.phases[ph] })),
    { steps: true },
  );
}

function eventsCard(events) {
  return h(
    'div',
    { class: 'card', id: 'events' },
    h('h2', {}, 'Events'),
    h(
      'table',
      {},
      h('thead', {}, h('tr', {}, ...['Time', 'Type', 'Source', 'Reason', 'Object', 'Message'].map((t) => h('th', {}, t)))),
      h(
        'tbody',
        {},
        ...events.items
          .slice(0, 15)
          .map((e) =>
            h(
              'tr',
              {},
              h('td', {}, when(e.time)),
              h('td', {}, badge(e.type)),
              h('td', {}, e.source),
              h('td', {}, e.reason),
              h('td', {}, e.object ?? ''),
              h('td', {}, e.count > 1 ? `${e.message} (×${e.count})` : e.message),
            ),
          ),
      ),
    ),
  );
}

function decisionsCard(r) {
  if (!r.hpaDecisions.length) return null;
  return h(
    'div',
    { class: 'card', id: 'hpa-decisions' },
    h('h2', {}, 'Autoscaler decisions'),
    h(
      'ul',
      {},
      ...r.hpaDecisions.map((d) =>
        h(
          'li',
          {},
          `${when(d.at)} — ${d.namespace}/${d.name}: ${d.fromReplicas} → ${d.toReplicas} replicas (CPU ${d.cpuUtilization ?? '?'}% of requests, target ${d.targetCpuUtilization ?? '?'}%)`,
        ),
      ),
    ),
  );
}

/** One cluster: health, charts over a chosen range, autoscaler decisions, events and cost comparison. */
export async function renderCluster(view, id) {
  const error = h('div', { class: 'error', role: 'alert' });
  const header = h('div', { class: 'row' });
  const range = h('select', { id: 'range' }, ...RANGES.map((k) => h('option', { value: k, selected: k === '1h' }, `last ${k}`)));
  const health = h('div');
  const grid = h('div', { class: 'grid', id: 'charts' });
  const decisions = h('div');
  const events = h('div');
  const costs = h('div');
  mount(header, tabBar(id, ''), error, health, h('div', { class: 'row' }, h('h2', {}, 'Over time'), range), grid, decisions, costs, events);

  const load = async () => {
    try {
      const cluster = await api('GET', `/v1/clusters/${id}`);
      header.replaceChildren(...clusterHeader(cluster));
      const [hl, report, ev] = await Promise.all([
        api('GET', `/v1/clusters/${id}/health`),
        // The range ends at the cluster's own now (an accelerated cluster's clock runs ahead of ours).
        api('GET', `/v1/clusters/${id}/monitoring?range=${range.value}`),
        api('GET', `/v1/clusters/${id}/events?limit=50`),
      ]);
      health.replaceChildren(healthCard(hl));
      drawCharts(grid, report);
      decisions.replaceChildren(decisionsCard(report) ?? '');
      events.replaceChildren(eventsCard(ev));
    } catch (err) {
      error.textContent = errorText(err);
    }
  };
  range.addEventListener('change', load);
  await load();
  const cluster = await api('GET', `/v1/clusters/${id}`).catch(() => undefined);
  costs.replaceChildren(await costComparison(id), cluster ? await budgetsCard(cluster) : '');
  const refresh = async () => {
    await load();
    view.every(30_000, refresh);
  };
  view.every(30_000, refresh);
}
