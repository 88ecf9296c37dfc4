import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderFamilies } from '../../src/platform/prometheus.ts';
import { renderFamiliesAsText } from '../../src/platform/workers/prometheus-text.ts';
import type { MetricFamily } from '../../src/monitoring/prometheus/families.ts';

const families: MetricFamily[] = [
  {
    name: 'kube_pod_info',
    help: 'Information about pods, with "quotes",\na second line and a \\ backslash.',
    type: 'gauge',
    samples: [
      { labels: { namespace: 'default', pod: 'a"b\\c\nd' }, value: 1 },
      { labels: { pod: 'x', namespace: 'kube-system' }, value: 0.5 },
    ],
  },
  { name: 'kube_empty', help: 'no samples: not written', type: 'gauge', samples: [] },
  {
    name: 'kube_pod_container_status_restarts_total',
    help: 'restarts',
    type: 'counter',
    samples: [
      { labels: { pod: 'p' }, value: 3 },
      { labels: { pod: 'p' }, value: 2 },
      { labels: { pod: 'q' }, value: 1e21 },
    ],
  },
  {
    name: 'kates_unlabelled',
    help: 'h',
    type: 'gauge',
    samples: [
      { labels: {}, value: 7 },
      { labels: {}, value: 8 },
    ],
  },
  {
    name: 'kates_limits',
    help: 'h',
    type: 'gauge',
    samples: [
      { labels: { a: 'c' }, value: Infinity },
      { labels: { a: 'd' }, value: -0.000001 },
    ],
  },
];

test('the Workers renderer writes what prom-client writes on Node, byte for byte', async () => {
  const node = await renderFamilies(families);
  const workers = await renderFamiliesAsText(families);
  assert.equal(workers.contentType, node.contentType);
  assert.equal(workers.body, node.body);
});

test('NaN is spelled as the exposition format spells it', async () => {
  const { body } = await renderFamiliesAsText([{ name: 'x', help: 'h', type: 'gauge', samples: [{ labels: {}, value: NaN }] }]);
  assert.equal(body, '# HELP x h\n# TYPE x gauge\nx NaN\n');
  assert.equal((await renderFamiliesAsText([])).body, '');
});
