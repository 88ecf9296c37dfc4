import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../env.ts';
import { BILLING_ROLES, requireTenant } from '../../middleware/auth.ts';
import { bearer, errors } from '../common.ts';
import { InvoiceListSchema, InvoiceSchema, PeriodParam } from './schemas.ts';
import { invoicePeriods, readInvoice } from '../../../billing/reports/invoice-reader.ts';
import { invoiceCsv, type Invoice } from '../../../billing/reports/invoice.ts';

const listRoute = createRoute({
  method: 'get',
  path: '/v1/billing/invoices',
  operationId: 'listInvoices',
  tags: ['billing'],
  summary: 'Monthly invoices, newest first: every month with rated or estimated hours (the current month is open, with a forecast)',
  security: bearer,
  responses: { 200: { description: 'Invoices', content: { 'application/json': { schema: InvoiceListSchema } } }, ...errors(401, 403, 429) },
});

const getRoute = createRoute({
  method: 'get',
  path: '/v1/billing/invoices/{period}',
  operationId: 'getInvoice',
  tags: ['billing'],
  summary: "One month's invoice: line items per cluster, free-tier credits, totals; CSV with Accept: text/csv",
  security: bearer,
  request: { params: PeriodParam },
  responses: {
    200: {
      description: 'The invoice',
      content: { 'application/json': { schema: InvoiceSchema }, 'text/csv': { schema: z.string() } },
    },
    ...errors(401, 403, 422, 429),
  },
});

function invoiceView(inv: Invoice) {
  const { totalMicro: _t, forecastMicro: _f, clusters, ...rest } = inv;
  return { ...rest, clusters: clusters.map(({ subtotalMicro: _s, ...c }) => c) };
}

export function registerInvoices(app: OpenAPIHono<AppEnv>) {
  app.openapi(listRoute, async (c) => {
    const p = requireTenant(c, BILLING_ROLES);
    const deps = c.get('deps');
    const now = deps.clock.now();
    const periods = await invoicePeriods(deps.database.db, p.tenantId, now);
    const items = [];
    for (const period of periods) {
      const inv = await readInvoice(deps.database.db, p.tenantId, period, now);
      items.push({
        period,
        status: inv.status,
        total: inv.total,
        estimated: inv.estimated,
        ratedThrough: inv.ratedThrough,
        ...(inv.forecast ? { forecast: inv.forecast } : {}),
      });
    }
    return c.json({ items }, 200);
  });

  app.openapi(getRoute, async (c) => {
    const p = requireTenant(c, BILLING_ROLES);
    const deps = c.get('deps');
    const { period } = c.req.valid('param');
    const inv = await readInvoice(deps.database.db, p.tenantId, period, deps.clock.now());
    if ((c.req.header('accept') ?? '').includes('text/csv')) {
      return c.body(invoiceCsv(inv), 200, { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="invoice-${period}.csv"` });
    }
    return c.json(invoiceView(inv), 200);
  });
}
