import { and, eq, ne } from 'drizzle-orm';
import type { Database } from '../../store/db.ts';
import { clusters, nodePools } from '../../store/schema/index.ts';
import { ServiceError, invalidFields, type FieldIssue } from '../errors.ts';
import { findInstanceType, regionsOf, tiersOf, defaultTier, type Provider } from '../../billing/catalog.ts';
import type { Plan } from '../tenants/plans.ts';
import type { CreateClusterInput } from './inputs.ts';

/** Checks what the schema cannot: the catalog (regions, tiers, instance types) and pool bounds. */
export function validateClusterSpec(input: CreateClusterInput): { tier: string } {
  const provider = input.provider as Provider;
  const issues: FieldIssue[] = [];
  if (!regionsOf(provider).includes(input.region)) {
    issues.push({ field: 'region', message: `unknown ${provider} region "${input.region}" (known: ${regionsOf(provider).join(', ')})` });
  }
  const tier = input.tier ?? defaultTier(provider);
  if (!tiersOf(provider).includes(tier)) issues.push({ field: 'tier', message: `unknown ${provider} tier "${tier}" (known: ${tiersOf(provider).join(', ')})` });
  const seen = new Set<string>();
  input.nodePools.forEach((p, i) => {
    if (seen.has(p.name)) issues.push({ field: `nodePools.${i}.name`, message: `duplicate node pool name "${p.name}"` });
    seen.add(p.name);
    const type = findInstanceType(provider, p.instanceType);
    if (!type) issues.push({ field: `nodePools.${i}.instanceType`, message: `unknown ${provider} instance type "${p.instanceType}"` });
    else if (!(input.region in type.hourlyMicroUsd) && regionsOf(provider).includes(input.region)) {
      issues.push({ field: `nodePools.${i}.instanceType`, message: `${p.instanceType} is not offered in ${input.region}` });
    }
    // An omitted bound defaults to the count, so a count above an explicit maxCount is the count's fault.
    const max = p.maxCount ?? p.count;
    issues.push(...poolBoundIssues(`nodePools.${i}`, p.count, p.minCount ?? Math.min(p.count, max), max));
  });
  if (issues.length) throw invalidFields(issues);
  return { tier };
}

export function poolBoundIssues(path: string, count: number, min: number, max: number): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (min > max) issues.push({ field: `${path}.minCount`, message: `minCount ${min} is greater than maxCount ${max}` });
  else if (count < min || count > max) issues.push({ field: `${path}.count`, message: `count ${count} must be between minCount ${min} and maxCount ${max}` });
  return issues;
}

/** Plan quotas on clusters, nodes and timeScale; `extraNodes` is the change being asked for. */
export async function checkQuota(database: Database, tenantId: string, plan: Plan, change: { newCluster: boolean; extraNodes: number; timeScale?: number; excludeClusterId?: string }): Promise<void> {
  if (change.timeScale !== undefined && change.timeScale > plan.maxTimeScale) {
    throw new ServiceError('quota_exceeded', `timeScale ${change.timeScale} exceeds the ${plan.name} plan's maximum of ${plan.maxTimeScale}`, {
      quota: 'maxTimeScale',
      limit: plan.maxTimeScale,
      field: 'timeScale',
    });
  }
  const live = await database.db
    .select({ id: clusters.id })
    .from(clusters)
    .where(and(eq(clusters.tenantId, tenantId), ne(clusters.status, 'DELETED')))
    .all();
  if (change.newCluster && live.length >= plan.maxClusters) {
    throw new ServiceError('quota_exceeded', `the ${plan.name} plan allows ${plan.maxClusters} clusters; ${live.length} exist`, { quota: 'maxClusters', limit: plan.maxClusters });
  }
  let nodes = 0;
  for (const c of live) {
    if (c.id === change.excludeClusterId) continue;
    const pools = await database.db.select({ count: nodePools.count }).from(nodePools).where(eq(nodePools.clusterId, c.id)).all();
    nodes += pools.reduce((s, p) => s + p.count, 0);
  }
  if (nodes + change.extraNodes > plan.maxNodes) {
    throw new ServiceError('quota_exceeded', `the ${plan.name} plan allows ${plan.maxNodes} nodes; this would make ${nodes + change.extraNodes}`, { quota: 'maxNodes', limit: plan.maxNodes });
  }
}
