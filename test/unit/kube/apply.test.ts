import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../src/kube/types.ts';
import { ApplyConflictError, conflictMessage, serverSideApply } from '../../../src/kube/patch/apply.ts';
import { recordUpdate, readManagers } from '../../../src/kube/objects/managed-fields.ts';
import { leafPaths, renderPath, pathOf } from '../../../src/kube/patch/fieldset.ts';

const manifest = (replicas: number, image = 'nginx:1.25', extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: { app: 'web' } },
  spec: {
    replicas,
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image }] } },
    ...extra,
  },
});
const req = (manager: string, force = false) => ({ manager, apiVersion: 'apps/v1', force, time: '2026-01-01T00:00:00Z' });

test('the first apply owns every field it sets; selectors are owned whole', () => {
  const out = serverSideApply(undefined, manifest(2), req('kubectl'));
  const [m] = readManagers(out);
  assert.equal(m.manager, 'kubectl');
  assert.equal(m.operation, 'Apply');
  const owned = [...m.fields].map((p) => renderPath(pathOf(p))).sort();
  assert.ok(owned.includes('.spec.replicas'));
  assert.ok(owned.includes('.spec.selector'));
  assert.ok(owned.includes('.spec.template.spec.containers[name="c"].image'));
  assert.ok(!owned.some((p) => p.startsWith('.metadata.name')));
});

test('another manager changing an owned field conflicts with the Kubernetes message; force takes the field over', () => {
  // The object was made by client-side apply (an Update operation).
  const live = manifest(3);
  recordUpdate(undefined, live, { manager: 'kubectl-client-side-apply', operation: 'Update', apiVersion: 'apps/v1', time: 't' });
  assert.throws(
    () => serverSideApply(live, manifest(5), req('kubectl')),
    (e: unknown) =>
      e instanceof ApplyConflictError &&
      conflictMessage(e.conflicts) === 'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas',
  );
  const forced = serverSideApply(live, manifest(5), req('kubectl', true));
  assert.equal(forced.spec.replicas, 5);
  const owners = readManagers(forced);
  const csa = owners.find((m) => m.manager === 'kubectl-client-side-apply')!;
  assert.ok(![...csa.fields].some((p) => renderPath(pathOf(p)) === '.spec.replicas'));
});

test('applying the same value another manager owns is shared ownership, not a conflict', () => {
  const live = manifest(3);
  recordUpdate(undefined, live, { manager: 'other', operation: 'Update', apiVersion: 'apps/v1', time: 't' });
  const out = serverSideApply(live, manifest(3), req('kubectl'));
  assert.equal(out.spec.replicas, 3);
});

test('a field dropped from the applied configuration is removed unless someone else owns it', () => {
  const first = serverSideApply(undefined, manifest(2, 'nginx:1.25', { minReadySeconds: 5, paused: true }), req('kubectl'));
  const second = serverSideApply(first, manifest(2), req('kubectl'));
  assert.equal('minReadySeconds' in second.spec, false);
  assert.equal('paused' in second.spec, false);
  // Another manager's field survives a re-apply that does not mention it.
  const withOther = structuredClone(first);
  withOther.spec.template.spec.containers[0].env = [{ name: 'X', value: '1' }];
  recordUpdate(first, withOther, { manager: 'kubectl-edit', operation: 'Update', apiVersion: 'apps/v1', time: 't' });
  const third = serverSideApply(withOther, manifest(2, 'nginx:1.25', { minReadySeconds: 5, paused: true }), req('kubectl'));
  assert.deepEqual(third.spec.template.spec.containers[0].env, [{ name: 'X', value: '1' }]);
});

test('an update takes ownership of what it changed away from the appliers', () => {
  const applied = serverSideApply(undefined, manifest(2), req('kubectl'));
  const scaled = structuredClone(applied);
  scaled.spec.replicas = 7;
  recordUpdate(applied, scaled, { manager: 'kubectl-scale', operation: 'Update', apiVersion: 'apps/v1', time: 't' });
  const owners = readManagers(scaled);
  const key = [...leafPaths(scaled, 'Deployment')].find((p) => renderPath(pathOf(p)) === '.spec.replicas')!;
  assert.ok(owners.find((m) => m.manager === 'kubectl-scale')!.fields.has(key));
  assert.ok(!owners.find((m) => m.manager === 'kubectl')!.fields.has(key));
  assert.throws(() => serverSideApply(scaled, manifest(2), req('kubectl')), ApplyConflictError);
});
