import { eq } from 'drizzle-orm';
import type { Db } from '../../store/db.ts';
import { clusters } from '../../store/schema/index.ts';

/** What a budget counts: the whole tenant, one cluster, or the clusters carrying a label. */
export interface BudgetScope {
  clusterId?: string;
  /** `key=value`, matched against the clusters' labels (as set on create or PATCH). */
  label?: string;
}

/** The tenant's cluster ids a scope covers, or undefined for the whole tenant. Deleted clusters
 * still count for the months they ran. */
export async function scopeClusterIds(db: Db, tenantId: string, scope: BudgetScope): Promise<string[] | undefined> {
  if (!scope.clusterId && !scope.label) return undefined;
  const rows = await db.select({ id: clusters.id, settings: clusters.settings }).from(clusters).where(eq(clusters.tenantId, tenantId)).all();
  const [key, value] = scope.label ? splitLabel(scope.label) : [undefined, undefined];
  return rows
    .filter((r) => {
      if (scope.clusterId && r.id !== scope.clusterId) return false;
      if (key === undefined) return true;
      try {
        return ((JSON.parse(r.settings) as { labels?: Record<string, string> }).labels ?? {})[key] === value;
      } catch {
        return false;
      }
    })
    .map((r) => r.id);
}

export function splitLabel(label: string): [string, string] {
  const i = label.indexOf('=');
  return i < 0 ? [label, ''] : [label.slice(0, i), label.slice(i + 1)];
}
