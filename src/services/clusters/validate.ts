import { and, eq, ne } from 'drizzle-orm';
import type { Database } from '../../store/db.ts';
import { clusters, nodePools } from '../../store/schema/index.ts';
import { ServiceError, invalidFields, type FieldIssue } from '../errors.ts';
import { findInstanceType, regionsOf, tiersOf, defaultTier, zonesOf, type Provider } from '../../billing/catalog.ts';
import { upgradeSettingsIssues } from './upgrade-settings.ts';
import type { Plan } from '../../clusters/plans.ts';
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
  if (provider === 'aks' && input.versionSupport === 'extended' && tier !== 'premium')
    issues.push({ field: 'versionSupport', message: 'AKS Long Term Support needs the premium tier' });
  const seen = new Set<string>();
  input.nodePools.forEach((p, i) => {
    if (seen.has(p.name)) issues.push({ field: `nodePools.${i}.name`, message: `duplicate node pool name "${p.name}"` });
    seen.add(p.name);
    issues.push(...poolSpecIssues(provider, input.region, `nodePools.${i}`, p));
  });
  if (issues.length) throw invalidFields(issues);
  return { tier };
}

/** What the catalog and the provider refuse in one pool: instance type, zones, bounds, surge settings. */
export function poolSpecIssues(
  provider: Provider,
  region: string,
  path: string,
  p: {
    instanceType: string;
    count: number;
    minCount?: number;
    maxCount?: number;
    zones?: string[];
    upgradeSettings?: { maxSurge?: string; maxUnavailable?: string };
  },
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const type = findInstanceType(provider, p.instanceType);
  if (!type) issues.push({ field: `${path}.instanceType`, message: `unknown ${provider} instance type "${p.instanceType}"` });
  else if (!(region in type.hourlyMicroUsd) && regionsOf(provider).includes(region)) {
    issues.push({ field: `${path}.instanceType`, message: `${p.instanceType} is not offered in ${region}` });
  }
  const known = zonesOf(provider, region);
  for (const z of p.zones ?? [])
    if (regionsOf(provider).includes(region) && !known.includes(z))
      issues.push({ field: `${path}.zones`, message: `unknown zone "${z}" in ${region} (known: ${known.join(', ')})` });
  // An omitted bound defaults to the count, so a count above an explicit maxCount is the count's fault.
  const max = p.maxCount ?? p.count;
  issues.push(...poolBoundIssues(path, p.count, p.minCount ?? Math.min(p.count, max), max));
  issues.push(...upgradeSettingsIssues(provider, `${path}.upgradeSettings`, p.upgradeSettings));
  return issues;
}

export function poolBoundIssues(path: string, count: number, min: number, max: number): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (min > max) issues.push({ field: `${path}.minCount`, message: `minCount ${min} is greater than maxCount ${max}` });
  else if (count < min || count > max) issues.push({ field: `${path}.count`, message: `count ${count} must be between minCount ${min} and maxCount ${max}` });
  return issues;
}

/** Plan quotas on clusters, nodes and timeScale; `extraNodes` is the change being asked for. */
export async function checkQuota(
  database: Database,
  tenantId: string,
  plan: Plan,
  change: { newCluster: boolean; extraNodes: number; timeScale?: number; excludeClusterId?: string },
): Promise<void> {
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
    throw new ServiceError('quota_exceeded', `the ${plan.name} plan allows ${plan.maxClusters} clusters; ${live.length} exist`, {
      quota: 'maxClusters',
      limit: plan.maxClusters,
    });
  }
  let nodes = 0;
  for (const c of live) {
    if (c.id === change.excludeClusterId) continue;
    const pools = await database.db.select({ count: nodePools.count }).from(nodePools).where(eq(nodePools.clusterId, c.id)).all();
    nodes += pools.reduce((s, p) => s + p.count, 0);
  }
  if (nodes + change.extraNodes > plan.maxNodes) {
    throw new ServiceError('quota_exceeded', `the ${plan.name} plan allows ${plan.maxNodes} nodes; this would make ${nodes + change.extraNodes}`, {
      quota: 'maxNodes',
      limit: plan.maxNodes,
    });
  }
}
