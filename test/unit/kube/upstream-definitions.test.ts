import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { upstreamName, upstreamSchemas } from '../../../src/kube/openapi/upstream.ts';
import { defaultRegistry } from '../../../src/kube/registry/index.ts';

const root = join(import.meta.dirname, '../../..');

test('upstream-definitions.json is what scripts/kube-definitions.ts makes from its source', () => {
  execFileSync('npx', ['tsx', 'scripts/kube-definitions.ts', '--check'], { cwd: root, stdio: 'pipe' });
});

test("every served kind but kates' own has upstream's definition, and every reference resolves", () => {
  const missing = defaultRegistry.all.filter((d) => !d.virtual && !upstreamName(d)).map((d) => `${d.group}/${d.version} ${d.kind}`);
  assert.deepEqual(missing, ['autoscaling.k8s.io/v1 VerticalPodAutoscaler']);
  const names = defaultRegistry.all.map(upstreamName).filter((n): n is string => !!n);
  const schemas = upstreamSchemas(names);
  const refs = [...JSON.stringify(schemas).matchAll(/"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual(
    refs.filter((r) => !schemas[r]),
    [],
  );
  const probe = schemas['io.k8s.api.core.v1.Probe'] as { properties: Record<string, { description?: string }> };
  assert.equal(probe.properties.httpGet.description, 'HTTPGet specifies an HTTP GET request to perform.');
});
