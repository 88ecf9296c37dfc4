import type { MetricFamily } from '../../monitoring/prometheus/families.ts';

export const PROMETHEUS_TEXT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const escapeHelp = (s: string) => s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
const escapeLabel = (s: string) => s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');

function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

/**
 * Metric families in the Prometheus text exposition format (0.0.4), written out directly: prom-client,
 * which renders them on Node, needs Node's runtime. The output matches prom-client's line for line
 * (test/runtime/prometheus-text.test.ts), so scrapers see the same text from both deployments.
 */
export async function renderFamiliesAsText(families: MetricFamily[]): Promise<{ contentType: string; body: string }> {
  const blocks: string[] = [];
  for (const f of families) {
    if (f.samples.length === 0) continue;
    const lines = [`# HELP ${f.name} ${escapeHelp(f.help)}`, `# TYPE ${f.name} ${f.type}`];
    // One series per label set: a repeated set is summed for counters and overwritten for gauges.
    const series = new Map<string, { labels: string; value: number }>();
    for (const s of f.samples) {
      const labels = Object.entries(s.labels)
        .map(([k, v]) => `${k}="${escapeLabel(String(v))}"`)
        .join(',');
      const prev = series.get(labels);
      series.set(labels, { labels, value: f.type === 'counter' && prev ? prev.value + s.value : s.value });
    }
    for (const { labels, value } of series.values()) lines.push(`${f.name}${labels ? `{${labels}}` : ''} ${formatValue(value)}`);
    blocks.push(lines.join('\n'));
  }
  return { contentType: PROMETHEUS_TEXT_TYPE, body: blocks.length ? `${blocks.join('\n\n')}\n` : '' };
}
