// Monthly budgets with alert thresholds, and the alerts they raised.

import { h, mount, money, when, errorText } from './dom.js';
import { api } from './api.js';

/** What a budget counts: every cluster, one cluster, or the clusters with a label. */
export function scopeText(scope, clusterNames = new Map()) {
  if (scope?.clusterId) return `cluster ${clusterNames.get(scope.clusterId) ?? scope.clusterId}`;
  if (scope?.label) return `clusters labelled ${scope.label}`;
  return 'all clusters';
}

/** Whether a budget counts this cluster's spend. */
export function budgetCovers(budget, cluster) {
  const scope = budget.scope ?? {};
  if (scope.clusterId) return scope.clusterId === cluster.id;
  if (scope.label) {
    const [k, v] = scope.label.split('=');
    return cluster.labels?.[k] === v;
  }
  return true;
}

function createBudgetForm(clusters, onCreated) {
  const name = h('input', { id: 'budget-name', required: true, maxlength: 100, placeholder: 'monthly' });
  // Scoped budgets: a cluster, or a label key=value; the tenant's whole spend when neither is chosen.
  const scope = h(
    'select',
    { id: 'budget-scope' },
    h('option', { value: '' }, 'all clusters'),
    ...clusters.map((c) => h('option', { value: `cluster:${c.id}` }, `cluster ${c.name}`)),
    h('option', { value: 'label' }, 'clusters with a label…'),
  );
  const label = h('input', { id: 'budget-label', placeholder: 'team=shop', pattern: '[A-Za-z0-9./_-]+=[A-Za-z0-9._-]*', hidden: true });
  scope.addEventListener('change', () => (label.hidden = scope.value !== 'label'));
  const amount = h('input', { id: 'budget-amount', required: true, pattern: '\\d+(\\.\\d{1,2})?', placeholder: '500.00' });
  const thresholds = h('input', { id: 'budget-thresholds', value: '50, 80, 100', pattern: '\\s*\\d+(\\s*,\\s*\\d+)*\\s*' });
  const error = h('div', { class: 'error', role: 'alert' });
  return h(
    'form',
    {
      class: 'card inline',
      id: 'create-budget',
      onsubmit: async (e) => {
        e.preventDefault();
        error.textContent = '';
        try {
          const body = { name: name.value, amount: amount.value, thresholds: thresholds.value.split(',').map((t) => Number(t.trim())) };
          if (scope.value.startsWith('cluster:')) body.scope = { clusterId: scope.value.slice('cluster:'.length) };
          else if (scope.value === 'label') body.scope = { label: label.value };
          await api('POST', '/v1/billing/budgets', body);
          name.value = '';
          amount.value = '';
          onCreated();
        } catch (err) {
          error.textContent = errorText(err);
        }
      },
    },
    h('label', {}, 'Name', name),
    h('label', {}, 'Amount (USD a month)', amount),
    h('label', {}, 'Alert at % of the amount', thresholds),
    h('label', {}, 'Counts', scope, label),
    h('button', { type: 'submit' }, 'Create budget'),
    error,
  );
}

/** Budgets and alerts of the tenant (owner and billing roles). */
export async function renderBudgets() {
  const error = h('div', { class: 'error', role: 'alert' });
  const budgets = h('tbody');
  const alerts = h('tbody');
  const load = async () => {
    try {
      const [b, a] = await Promise.all([api('GET', '/v1/billing/budgets'), api('GET', '/v1/billing/alerts')]);
      const clusterNames = new Map(clusters.map((c) => [c.id, c.name]));
      const names = new Map(b.items.map((x) => [x.id, x.name]));
      budgets.replaceChildren(
        ...(b.items.length
          ? b.items.map((x) =>
              h(
                'tr',
                { 'data-budget': x.name },
                h('td', {}, x.name),
                h('td', { class: 'num' }, money(x.amount)),
                h('td', {}, x.thresholds.map((t) => `${t}%`).join(', ')),
                h('td', {}, scopeText(x.scope, clusterNames)),
                h(
                  'td',
                  { class: 'num' },
                  x.status?.spent ? `${money(x.status.spent)}${x.status.forecast ? ` (forecast ${money(x.status.forecast)})` : ''}` : '—',
                ),
                h('td', {}, when(x.createdAt)),
                h(
                  'td',
                  {},
                  h(
                    'button',
                    { type: 'button', class: 'danger small', onclick: async () => (await api('DELETE', `/v1/billing/budgets/${x.id}`), load()) },
                    'Delete',
                  ),
                ),
              ),
            )
          : [h('tr', {}, h('td', { colspan: 7, class: 'muted' }, 'No budgets yet.'))]),
      );
      alerts.replaceChildren(
        ...(a.items.length
          ? a.items.map((x) =>
              h(
                'tr',
                {},
                h('td', {}, when(x.createdAt)),
                h('td', {}, names.get(x.budgetId) ?? x.budgetId),
                h('td', {}, x.period),
                h('td', { class: 'num' }, `${x.thresholdPercent}%`),
                h('td', { class: 'num' }, `${money(x.spent)} of ${money(x.budget)}${estimatedNote(x)}`),
              ),
            )
          : [h('tr', {}, h('td', { colspan: 5, class: 'muted' }, 'No alerts.'))]),
      );
    } catch (err) {
      error.textContent = err.status === 403 ? 'Your role cannot read budgets (owner or billing only).' : errorText(err);
    }
  };
  const head = (cols) => h('thead', {}, h('tr', {}, ...cols.map((t) => h('th', {}, t))));
  const clusters = (await api('GET', '/v1/clusters').catch(() => ({ items: [] }))).items;
  mount(
    h('h1', {}, 'Budgets and alerts'),
    createBudgetForm(clusters, load),
    error,
    h(
      'div',
      { class: 'card' },
      h('h2', {}, 'Budgets'),
      h('table', { id: 'budgets' }, head(['Name', 'Amount', 'Thresholds', 'Counts', 'Spent this month', 'Created', '']), budgets),
    ),
    h('div', { class: 'card' }, h('h2', {}, 'Alerts'), h('table', { id: 'alerts' }, head(['When', 'Budget', 'Month', 'Threshold', 'Spent']), alerts)),
  );
  await load();
}

/** An alert raised on spend that was partly an estimate of hours not rated yet says so. */
function estimatedNote(alert) {
  return alert.estimated && Number(alert.estimated.amount) > 0 ? ` (${money(alert.estimated)} estimated)` : '';
}
