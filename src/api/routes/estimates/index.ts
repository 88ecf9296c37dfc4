import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../env.ts';
import { registerCreateEstimate } from './create.ts';

/** POST /v1/estimates. */
export function registerEstimateRoutes(app: OpenAPIHono<AppEnv>) {
  registerCreateEstimate(app);
}
