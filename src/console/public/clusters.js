import { h, mount, badge, money, when, errorText } from './dom.js';
import { api } from './api.js';
import { confirmByName } from './dialog.js';

// Suggestions only: any region or instance type of the provider's catalog may be typed (the API checks it).
const PROVIDERS = {
  eks: { regions: ['us-east-1', 'us-west-2', 'eu-west-1'], types: ['m5.large', 'm5.xlarge', 't3.medium', 'c5.large'] },
  gke: { regions: ['us-central1', 'europe-west1'], types: ['e2-standard-2', 'e2-standard-4', 'e2-medium', 'n2-standard-2'] },
  aks: { regions: ['eastus', 'westeurope'], types: ['Standard_D2s_v3', 'Standard_D4s_v3', 'Standard_B2s'] },
};

/** Month-to-date cost per cluster; roles without billing access get an empty map. */
async function monthToDate() {
  try {
    const usage = await api('GET', '/v1/billing/usage?groupBy=cluster');
    return new Map(usage.groups.map((g) => [g.clusterId, g.amount]));
  } catch {
    return new Map();
  }
}

function createForm(onCreated) {
  const name = h('input', { id: 'new-name', required: true, pattern: '[a-z0-9]([a-z0-9\\-]*[a-z0-9])?', placeholder: 'my-cluster', maxlength: 40 });
  const provider = h('select', { id: 'new-provider' }, ...Object.keys(PROVIDERS).map((p) => h('option', { value: p }, p.toUpperCase())));
  const regions = h('datalist', { id: 'regions' });
  const types = h('datalist', { id: 'types' });
  const region = h('input', { id: 'new-region', list: 'regions', required: true, autocomplete: 'off' });
  const type = h('input', { id: 'new-type', list: 'types', required: true, autocomplete: 'off' });
  const count = h('input', { id: 'new-count', type: 'number', min: 1, max: 100, value: 3 });
  const error = h('div', { class: 'error', role: 'alert' });
  const fill = () => {
    const p = PROVIDERS[provider.value];
    regions.replaceChildren(...p.regions.map((r) => h('option', { value: r })));
    types.replaceChildren(...p.types.map((t) => h('option', { value: t })));
    region.value = p.regions[0];
    type.value = p.types[0];
  };
  provider.addEventListener('change', fill);
  fill();
  return h(
    'form',
    {
      class: 'card inline',
      id: 'create-cluster',
      onsubmit: async (e) => {
        e.preventDefault();
        error.textContent = '';
        try {
          const body = {
            name: name.value,
            provider: provider.value,
            region: region.value,
            nodePools: [{ name: 'default', instanceType: type.value, count: Number(count.value) }],
          };
          await api('POST', '/v1/clusters', body);
          name.value = '';
          onCreated();
        } catch (err) {
          error.textContent = errorText(err);
        }
      },
    },
    h('label', {}, 'Name', name),
    h('label', {}, 'Provider', provider),
    h('label', {}, 'Region', region),
    h('label', {}, 'Instance type', type),
    h('label', {}, 'Nodes', count),
    regions,
    types,
    h('button', { type: 'submit' }, 'Create cluster'),
    error,
  );
}

function clusterRow(c, cost, refresh) {
  const nodes = c.nodePools.reduce((a, p) => a + p.count, 0);
  const del = h(
    'button',
    {
      class: 'danger',
      type: 'button',
      'data-delete': c.name,
      disabled: c.status === 'DELETING',
      onclick: async () => {
        if (!(await confirmByName('cluster', c.name))) return;
        await api('DELETE', `/v1/clusters/${c.id}`);
        refresh();
      },
    },
    'Delete',
  );
  return h(
    'tr',
    { 'data-cluster': c.name },
    h('td', {}, h('a', { href: `#/clusters/${c.id}` }, c.name)),
    h('td', {}, badge(c.status)),
    h('td', {}, `${c.provider.toUpperCase()} · ${c.region}`),
    h('td', { class: 'num' }, nodes),
    h('td', { class: 'num' }, money(cost)),
    h('td', {}, when(c.createdAt)),
    h('td', {}, del),
  );
}

/** The cluster list; polls while a cluster is changing state. */
export async function renderClusters(view) {
  const body = h('tbody');
  const error = h('div', { class: 'error', role: 'alert' });
  const refresh = async () => {
    try {
      const [list, costs] = await Promise.all([api('GET', '/v1/clusters'), monthToDate()]);
      body.replaceChildren(
        ...(list.items.length
          ? list.items.map((c) => clusterRow(c, costs.get(c.id), refresh))
          : [h('tr', {}, h('td', { colspan: 7, class: 'muted' }, 'No clusters yet.'))]),
      );
      const busy = list.items.some((c) => ['PROVISIONING', 'UPDATING', 'DELETING'].includes(c.status));
      view.every(busy ? 1500 : 10000, refresh);
    } catch (err) {
      error.textContent = errorText(err);
    }
  };
  mount(
    h('h1', {}, 'Clusters'),
    createForm(refresh),
    error,
    h(
      'div',
      { class: 'card' },
      h(
        'table',
        { id: 'clusters' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ...['Name', 'Status', 'Provider', 'Nodes', 'Month to date', 'Created', ''].map((t, i) =>
              h('th', { class: i === 3 || i === 4 ? 'num' : undefined }, t),
            ),
          ),
        ),
        body,
      ),
    ),
  );
  await refresh();
}
