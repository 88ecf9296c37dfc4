import type { RouteCase } from '../route-case.ts';
import { tenantCases } from './tenants.ts';
import { clusterCases } from './clusters.ts';
import { accessCases } from './access.ts';
import { nodePoolCases } from './node-pools.ts';
import { simulationCases } from './simulation.ts';
import { clusterReportCases } from './cluster-reports.ts';
import { billingCases } from './billing.ts';
import { catalogAndOperationCases } from './catalog-and-operations.ts';

/** Every /v1 operation's in-process cases, one module per group of routes. */
export const routeCases: RouteCase[] = [
  ...tenantCases,
  ...clusterCases,
  ...accessCases,
  ...nodePoolCases,
  ...simulationCases,
  ...clusterReportCases,
  ...billingCases,
  ...catalogAndOperationCases,
];
