import { h, money } from './dom.js';
import { api } from './api.js';

/** The cluster's recorded usage priced under every provider and tier, as bars. */
export async function costComparison(clusterId) {
  const card = h('div', { class: 'card', id: 'cost-comparison' }, h('h2', {}, 'Cost compared across providers (month to date)'));
  try {
    const r = await api('GET', `/v1/clusters/${clusterId}/costs/compare`);
    const max = Math.max(0.01, ...r.results.map((x) => Number(x.total.amount)));
    const bars = h('div', { class: 'bars' });
    for (const x of [...r.results].sort((a, b) => Number(a.total.amount) - Number(b.total.amount))) {
      const actual = x.provider === r.actual.provider && x.tier === r.actual.tier;
      bars.append(
        h(
          'div',
          { class: `bar${actual ? ' actual' : ''}`, 'data-provider': `${x.provider}/${x.tier}` },
          h('span', {}, `${x.provider.toUpperCase()} ${x.tier}${actual ? ' (this cluster)' : ''}`),
          h('div', { class: 'track' }, h('div', { class: 'fill', style: `width:${(Number(x.total.amount) / max) * 100}%` })),
          h('span', { class: 'num' }, money(x.total)),
        ),
      );
    }
    card.append(
      h(
        'p',
        { class: 'muted' },
        `${new Date(r.from).toLocaleString()} – ${new Date(r.to).toLocaleString()}; each node priced as the same-shape instance type.`,
      ),
      bars,
    );
  } catch (err) {
    card.append(h('p', { class: 'muted' }, err.status === 403 ? 'Your role cannot read costs.' : err.message));
  }
  return card;
}
