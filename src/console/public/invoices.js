import { h, mount, badge, money, errorText } from './dom.js';
import { api, session } from './api.js';
import { download } from './dialog.js';

/** The invoice as CSV, as the API renders it for `Accept: text/csv`. */
async function downloadCsv(period) {
  const res = await fetch(`/v1/billing/invoices/${period}`, { headers: { accept: 'text/csv', authorization: `Bearer ${session.token}` } });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  download(`invoice-${period}.csv`, await res.text(), 'text/csv');
}

async function invoiceDetail(period, box) {
  const inv = await api('GET', `/v1/billing/invoices/${period}`);
  box.replaceChildren(
    h(
      'div',
      { class: 'row' },
      h('h2', {}, `Invoice ${inv.period}`),
      h('span', { class: 'spacer' }),
      h('button', { type: 'button', class: 'secondary', id: 'invoice-csv', onclick: () => downloadCsv(inv.period) }, 'Download CSV'),
    ),
    h(
      'table',
      { id: 'invoice-lines' },
      h(
        'thead',
        {},
        h('tr', {}, ...['Item', 'Description', 'Quantity', 'Unit price', 'Amount'].map((t, i) => h('th', { class: i >= 2 ? 'num' : undefined }, t))),
      ),
      h(
        'tbody',
        {},
        ...inv.lineItems.map((l) =>
          h(
            'tr',
            {},
            h('td', {}, l.item),
            h('td', {}, l.description),
            h('td', { class: 'num' }, `${l.quantity} ${l.unit}`),
            h('td', { class: 'num' }, `$${l.unitPrice.amount}`),
            h('td', { class: 'num' }, money(l.amount)),
          ),
        ),
      ),
    ),
    h('p', { class: 'num' }, `Subtotal ${money(inv.subtotal)} · credits ${money(inv.credits)} · total `, h('b', {}, money(inv.total))),
  );
}

/** The tenant's monthly invoices (the current one is open, with a forecast). */
export async function renderInvoices() {
  const error = h('div', { class: 'error', role: 'alert' });
  const detail = h('div', { class: 'card', id: 'invoice' });
  const body = h('tbody');
  mount(
    h('h1', {}, 'Invoices'),
    error,
    h(
      'div',
      { class: 'card' },
      h('table', { id: 'invoices' }, h('thead', {}, h('tr', {}, ...['Period', 'Status', 'Total', 'Forecast'].map((t) => h('th', {}, t)))), body),
    ),
    detail,
  );
  try {
    const list = await api('GET', '/v1/billing/invoices');
    body.replaceChildren(
      ...list.items.map((i) =>
        h(
          'tr',
          {},
          h('td', {}, h('a', { href: '#', onclick: (e) => (e.preventDefault(), invoiceDetail(i.period, detail)) }, i.period)),
          h('td', {}, badge(i.status)),
          h('td', {}, money(i.total)),
          h('td', {}, money(i.forecast)),
        ),
      ),
    );
    if (list.items[0]) await invoiceDetail(list.items[0].period, detail);
    else detail.replaceChildren(h('p', { class: 'muted' }, 'No invoices yet.'));
  } catch (err) {
    error.textContent = err.status === 403 ? 'Your role cannot read invoices (owner or billing only).' : errorText(err);
  }
}
