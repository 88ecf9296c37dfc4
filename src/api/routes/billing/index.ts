import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../env.ts';
import { registerBillingUsage } from './usage.ts';
import { registerInvoices } from './invoices.ts';
import { registerBudgets } from './budgets.ts';

/** /v1/billing/*: usage, invoices, budgets and alerts (roles owner and billing). */
export function registerBillingRoutes(app: OpenAPIHono<AppEnv>) {
  registerBillingUsage(app);
  registerInvoices(app);
  registerBudgets(app);
}
