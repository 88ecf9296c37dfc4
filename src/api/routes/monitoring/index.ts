import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../env.ts';
import { registerMonitoringReport } from './report.ts';
import { registerClusterHealth } from './health.ts';
import { registerClusterEvents } from './events.ts';

/** /v1/clusters/{id}/monitoring, /health and /events (roles owner, developer, viewer). */
export function registerMonitoringRoutes(app: OpenAPIHono<AppEnv>) {
  registerMonitoringReport(app);
  registerClusterHealth(app);
  registerClusterEvents(app);
}
