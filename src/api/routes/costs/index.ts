import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../env.ts';
import { registerClusterCosts } from './allocation.ts';
import { registerCompareCosts } from './compare.ts';

/** /v1/clusters/{id}/costs and /costs/compare (roles owner and billing). */
export function registerCostRoutes(app: OpenAPIHono<AppEnv>) {
  registerCompareCosts(app);
  registerClusterCosts(app);
}
