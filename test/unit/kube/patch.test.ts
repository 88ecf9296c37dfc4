import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { mergePatch } from '../../../src/kube/patch/merge.ts';
import { jsonPatch, JsonPatchFailure } from '../../../src/kube/patch/json-patch.ts';
import { strategicMergePatch, StrategicPatchError } from '../../../src/kube/patch/strategic.ts';

test('JSON merge patch: the test cases of RFC 7386 appendix A', () => {
  const cases: Array<[unknown, unknown, unknown]> = [
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [
      ['a', 'b'],
      ['c', 'd'],
      ['c', 'd'],
    ],
    [{ a: 'b' }, ['c'], ['c']],
    [{ a: 'foo' }, null, null],
    [{ a: 'foo' }, 'bar', 'bar'],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: 'b', c: null }, { a: 'b' }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ];
  for (const [target, patch, result] of cases) assert.deepEqual(mergePatch(target, patch), result, JSON.stringify([target, patch]));
});

const json = fc.jsonValue({ maxDepth: 3 });

test('JSON merge patch keeps a `__proto__` key a key: the result keeps its prototype and a second apply changes nothing', () => {
  const patch = JSON.parse('{"__proto__":{"polluted":true}}');
  const once = mergePatch([], patch) as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(once), Object.prototype);
  assert.deepEqual(Object.keys(once), ['__proto__']);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.deepEqual(mergePatch(once, patch), once);
});

test('property: a JSON merge patch applied twice changes nothing more', () => {
  fc.assert(fc.property(json, json, (doc, patch) => assert.deepEqual(mergePatch(mergePatch(doc, patch), patch), mergePatch(doc, patch))));
});

test('JSON patch: RFC 6902 examples (add to an array, test failure)', () => {
  assert.deepEqual(jsonPatch({ foo: ['bar', 'baz'] }, [{ op: 'add', path: '/foo/1', value: 'qux' }]), { foo: ['bar', 'qux', 'baz'] });
  assert.deepEqual(jsonPatch({ baz: 'qux', foo: 'bar' }, [{ op: 'remove', path: '/baz' }]), { foo: 'bar' });
  assert.deepEqual(jsonPatch({ foo: { bar: 'baz', waldo: 'fred' }, qux: { corge: 'grault' } }, [{ op: 'move', from: '/foo/waldo', path: '/qux/thud' }]), {
    foo: { bar: 'baz' },
    qux: { corge: 'grault', thud: 'fred' },
  });
  assert.throws(() => jsonPatch({ baz: 'qux' }, [{ op: 'test', path: '/baz', value: 'bar' }]), JsonPatchFailure);
  assert.throws(() => jsonPatch({}, [{ op: 'replace', path: '/missing', value: 1 }]), JsonPatchFailure);
  assert.throws(() => jsonPatch({}, { op: 'add' }), JsonPatchFailure);
});

const deployment = () => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: { app: 'web', tier: 'fe' } },
  spec: {
    replicas: 3,
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        containers: [
          { name: 'c', image: 'nginx:1.25', env: [{ name: 'A', value: '1' }], ports: [{ containerPort: 80, protocol: 'TCP' }] },
          { name: 'side', image: 'busybox' },
        ],
        tolerations: [{ key: 'a', operator: 'Exists' }],
      },
    },
  },
});

test('strategic merge patch: the client-side apply body that drops a label, replicas, env, ports and a container', () => {
  // Sent by kubectl apply (kubectl-protocol.md §6.2).
  const patch = {
    metadata: { labels: { tier: null } },
    spec: {
      replicas: null,
      template: {
        spec: {
          '$setElementOrder/containers': [{ name: 'c' }],
          containers: [
            { env: null, name: 'c', ports: null },
            { $patch: 'delete', name: 'side' },
          ],
        },
      },
    },
  };
  const out = strategicMergePatch(deployment(), patch, 'Deployment') as any;
  assert.deepEqual(out.metadata.labels, { app: 'web' });
  assert.equal('replicas' in out.spec, false);
  assert.deepEqual(out.spec.template.spec.containers, [{ name: 'c', image: 'nginx:1.25' }]);
});

test('strategic merge patch: $retainKeys on the strategy union, keyed port merge and $setElementOrder', () => {
  const patch = {
    spec: {
      strategy: { $retainKeys: ['type'], type: 'Recreate' },
      template: {
        spec: {
          '$setElementOrder/containers': [{ name: 'c' }],
          containers: [
            {
              '$setElementOrder/ports': [{ containerPort: 80 }, { containerPort: 443 }],
              name: 'c',
              ports: [{ containerPort: 443 }],
              volumeMounts: [{ mountPath: '/data', name: 'v' }],
            },
          ],
          volumes: [{ emptyDir: {}, name: 'v' }],
        },
      },
    },
  };
  const out = strategicMergePatch(deployment(), patch, 'Deployment') as any;
  assert.deepEqual(out.spec.strategy, { type: 'Recreate' });
  const c = out.spec.template.spec.containers;
  assert.deepEqual(
    c.map((x: any) => x.name),
    ['c', 'side'],
  );
  assert.deepEqual(c[0].ports, [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 443 }]);
  assert.deepEqual(c[0].volumeMounts, [{ mountPath: '/data', name: 'v' }]);
  assert.deepEqual(out.spec.template.spec.volumes, [{ emptyDir: {}, name: 'v' }]);
});

// https://kubernetes.io/docs/tasks/manage-kubernetes-objects/update-api-object-kubectl-patch/
test('the kubectl patch task: SMP merges containers by name, a merge patch replaces the list, tolerations are replaced', () => {
  const base = {
    kind: 'Deployment',
    spec: {
      template: {
        spec: { containers: [{ name: 'patch-demo-ctr', image: 'nginx' }], tolerations: [{ effect: 'NoSchedule', key: 'dedicated', value: 'test-team' }] },
      },
    },
  };
  const patch = { spec: { template: { spec: { containers: [{ name: 'patch-demo-ctr-2', image: 'redis' }] } } } };
  assert.deepEqual(
    (strategicMergePatch(base, patch, 'Deployment') as any).spec.template.spec.containers.map((c: any) => c.name),
    ['patch-demo-ctr', 'patch-demo-ctr-2'],
  );
  assert.deepEqual(
    (mergePatch(base, patch) as any).spec.template.spec.containers.map((c: any) => c.name),
    ['patch-demo-ctr-2'],
  );
  const tol = { spec: { template: { spec: { tolerations: [{ effect: 'NoSchedule', key: 'disktype', value: 'ssd' }] } } } };
  assert.deepEqual((strategicMergePatch(base, tol, 'Deployment') as any).spec.template.spec.tolerations, [
    { effect: 'NoSchedule', key: 'disktype', value: 'ssd' },
  ]);
});

test('strategic merge patch: finalizers merge as a set, $deleteFromPrimitiveList removes, $patch: replace replaces', () => {
  const obj = { kind: 'Pod', metadata: { finalizers: ['a', 'b'] }, spec: { containers: [{ name: 'x', image: 'i' }] } };
  assert.deepEqual((strategicMergePatch(obj, { metadata: { finalizers: ['b', 'c'] } }, 'Pod') as any).metadata.finalizers, ['a', 'b', 'c']);
  assert.deepEqual((strategicMergePatch(obj, { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } }, 'Pod') as any).metadata.finalizers, ['b']);
  const replaced = strategicMergePatch(obj, { spec: { containers: [{ $patch: 'replace' }, { name: 'y', image: 'j' }] } }, 'Pod') as any;
  assert.deepEqual(replaced.spec.containers, [{ name: 'y', image: 'j' }]);
  const mapReplace = strategicMergePatch(obj, { spec: { $patch: 'replace', containers: [{ name: 'z', image: 'k' }] } }, 'Pod') as any;
  assert.deepEqual(mapReplace.spec, { containers: [{ name: 'z', image: 'k' }] });
});

const listFreeObject: fc.Arbitrary<Record<string, unknown>> = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, fc.string({ maxLength: 3 }), fc.integer(), fc.boolean(), tie('object')),
  object: fc.dictionary(fc.constantFrom('a', 'b', 'c', 'spec', 'metadata'), tie('value'), { maxKeys: 3 }),
})).object as fc.Arbitrary<Record<string, unknown>>;
const listFreePatch: fc.Arbitrary<Record<string, unknown>> = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, fc.constant(null), fc.string({ maxLength: 3 }), fc.integer(), tie('object')),
  object: fc.dictionary(fc.constantFrom('a', 'b', 'c', 'spec', 'metadata'), tie('value'), { maxKeys: 3 }),
})).object as fc.Arbitrary<Record<string, unknown>>;

test('property: without lists or directives, a strategic merge patch is a JSON merge patch', () => {
  fc.assert(fc.property(listFreeObject, listFreePatch, (doc, patch) => assert.deepEqual(strategicMergePatch(doc, patch, 'ConfigMap'), mergePatch(doc, patch))));
});

test('property: merging containers by name is idempotent and keeps one element per name', () => {
  const container = fc.record({ name: fc.constantFrom('a', 'b', 'c'), image: fc.constantFrom('x', 'y') });
  const list = fc.uniqueArray(container, { selector: (c) => c.name, maxLength: 3 });
  fc.assert(
    fc.property(list, list, (live, patchList) => {
      const doc = { kind: 'Pod', spec: { containers: live } };
      const patch = { spec: { containers: patchList } };
      const once = strategicMergePatch(doc, patch, 'Pod') as any;
      assert.deepEqual(strategicMergePatch(once, patch, 'Pod'), once);
      const names = once.spec.containers.map((c: any) => c.name);
      assert.equal(new Set(names).size, names.length);
      for (const p of patchList) assert.equal(once.spec.containers.find((c: any) => c.name === p.name).image, p.image);
    }),
  );
});

/** Keys and pointers a hostile client sends: directives, list fields, prototype names. */
const hostileKey = fc.constantFrom(
  'a',
  'spec',
  'containers',
  'name',
  '$patch',
  '$retainKeys',
  '$setElementOrder/containers',
  '$deleteFromPrimitiveList/finalizers',
  'constructor',
  'toString',
);
const hostileValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(null, 'replace', 'delete', 'merge', '', 1.5, -1),
    fc.string({ maxLength: 3 }),
    tie('object'),
    tie('array'),
  ),
  object: fc.dictionary(hostileKey, tie('value'), { maxKeys: 3, noNullPrototype: true }),
  array: fc.array(tie('value'), { maxLength: 3 }),
})).value;
const pointerArb = fc
  .array(fc.constantFrom('', 'a', 'spec', 'containers', '0', '-', '99', 'constructor'), { maxLength: 3 })
  .map((segs) => segs.map((s) => `/${s}`).join(''));

test('property: a JSON patch either applies or fails with JsonPatchFailure, never another error', () => {
  const op = fc.record(
    { op: fc.constantFrom('add', 'remove', 'replace', 'move', 'copy', 'test', 'x'), path: pointerArb, from: pointerArb, value: hostileValue },
    { requiredKeys: ['op', 'path'] },
  );
  fc.assert(
    fc.property(hostileValue, fc.array(op, { maxLength: 4 }), (doc, ops) => {
      try {
        jsonPatch(doc, ops);
      } catch (e) {
        assert.ok(e instanceof JsonPatchFailure, `${(e as Error).stack}\n${JSON.stringify(ops)}`);
      }
    }),
    { numRuns: 2000 },
  );
});

test('property: a strategic merge patch with stray directives either applies or fails with StrategicPatchError', () => {
  fc.assert(
    fc.property(hostileValue, hostileValue, fc.constantFrom('Pod', 'Deployment', 'ConfigMap', 'Service'), (doc, patch, kind) => {
      try {
        strategicMergePatch(doc, patch, kind);
      } catch (e) {
        assert.ok(e instanceof StrategicPatchError, `${(e as Error).stack}\n${JSON.stringify(patch)}`);
      }
    }),
    { numRuns: 2000 },
  );
});
