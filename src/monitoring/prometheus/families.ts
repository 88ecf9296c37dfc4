/** Metric families as data; the platform renders them in the Prometheus text format with prom-client. */

export type Labels = Record<string, string>;

export interface MetricFamily {
  name: string;
  help: string;
  type: 'gauge' | 'counter';
  samples: { labels: Labels; value: number }[];
}

/** Collects samples by family, keeping the order in which families first appear. */
export class FamilySet {
  private byName = new Map<string, MetricFamily>();

  family(name: string, help: string, type: MetricFamily['type'] = 'gauge'): MetricFamily {
    let f = this.byName.get(name);
    if (!f) this.byName.set(name, (f = { name, help, type, samples: [] }));
    return f;
  }

  add(name: string, help: string, labels: Labels, value: number, type: MetricFamily['type'] = 'gauge'): void {
    this.family(name, help, type).samples.push({ labels, value });
  }

  all(): MetricFamily[] {
    return [...this.byName.values()];
  }
}

/** Unix seconds of an RFC 3339 timestamp (KSM reports times this way). */
export function unixSeconds(ts: unknown): number | undefined {
  if (typeof ts !== 'string') return undefined;
  const ms = Date.parse(ts);
  return Number.isFinite(ms) ? ms / 1000 : undefined;
}

/** A condition status as KSM spells it in its `status`/`condition` labels. */
export const CONDITION_VALUES = ['true', 'false', 'unknown'] as const;
export function conditionValue(status: string | undefined): string {
  return status === 'True' ? 'true' : status === 'False' ? 'false' : 'unknown';
}
