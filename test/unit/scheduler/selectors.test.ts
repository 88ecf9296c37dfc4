import { test } from 'node:test';
import type { PodSpec } from '../../../src/kube/objects.ts';
import assert from 'node:assert/strict';
import { compileLabelSelector } from '../../../src/kube/selectors/labels.ts';
import { compileNodeSelectorTerms, pinnedNodeNames, requiredNodeAffinity } from '../../../src/kube/selectors/node-selector.ts';
import { toleratesTaint } from '../../../src/kube/tolerations.ts';
import { node, snap } from './fixtures.ts';

test('label selectors: matchLabels AND expressions; NotIn and DoesNotExist match a missing key', () => {
  const sel = compileLabelSelector({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['db'] }] });
  assert.equal(sel({ app: 'web' }), true);
  assert.equal(sel({ app: 'web', tier: 'db' }), false);
  assert.equal(sel({ app: 'api' }), false);
  assert.equal(compileLabelSelector({})({ any: 'thing' }), true);
  assert.equal(compileLabelSelector(undefined)({ any: 'thing' }), false);
  assert.equal(compileLabelSelector({ matchExpressions: [{ key: 'x', operator: 'DoesNotExist' }] })({}), true);
  assert.equal(compileLabelSelector({ matchExpressions: [{ key: 'x', operator: 'Exists' }] })({ x: '' }), true);
});

test('node selector terms: ORed terms, ANDed expressions, Gt/Lt on integers, matchFields metadata.name', () => {
  const s = snap([node('a', { labels: { gen: '5', zone: 'z1' } }), node('b', { labels: { gen: 'x', zone: 'z2' } })]);
  const [a, b] = s.nodes;
  const gt4 = compileNodeSelectorTerms([{ matchExpressions: [{ key: 'gen', operator: 'Gt', values: ['4'] }] }]);
  assert.equal(gt4(a), true);
  assert.equal(gt4(b), false, 'a non-integer label never matches Gt');
  const lt5 = compileNodeSelectorTerms([{ matchExpressions: [{ key: 'gen', operator: 'Lt', values: ['5'] }] }]);
  assert.equal(lt5(a), false);
  const or = compileNodeSelectorTerms([
    { matchExpressions: [{ key: 'zone', operator: 'In', values: ['z2'] }] },
    { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['a'] }] },
  ]);
  assert.equal(or(a), true);
  assert.equal(or(b), true);
  const and = compileNodeSelectorTerms([
    {
      matchExpressions: [
        { key: 'zone', operator: 'In', values: ['z1'] },
        { key: 'gen', operator: 'DoesNotExist' },
      ],
    },
  ]);
  assert.equal(and(a), false);
  assert.equal(compileNodeSelectorTerms([{}])(a), false, 'an empty term matches nothing');
});

test('nodeSelector and required affinity combine; DaemonSet-style pins are recognised', () => {
  const s = snap([node('a', { labels: { disk: 'ssd' } }), node('b')]);
  const m = requiredNodeAffinity({ nodeSelector: { disk: 'ssd' } })!;
  assert.deepEqual(s.nodes.map(m), [true, false]);
  assert.equal(requiredNodeAffinity({}), undefined);
  const pinned: Partial<PodSpec> = {
    affinity: {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['b'] }] }] },
      },
    },
  };
  assert.deepEqual([...pinnedNodeNames(pinned)!], ['b']);
  const unpinned: Partial<PodSpec> = {
    affinity: {
      nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'disk', operator: 'Exists' }] }] } },
    },
  };
  assert.equal(pinnedNodeNames(unpinned), undefined);
});

test('tolerations: Equal compares values, Exists ignores them, empty key with Exists tolerates all, empty effect matches all', () => {
  const taint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' };
  assert.equal(toleratesTaint({ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }, taint), true);
  assert.equal(toleratesTaint({ key: 'dedicated', value: 'cpu', effect: 'NoSchedule' }, taint), false);
  assert.equal(toleratesTaint({ key: 'dedicated', operator: 'Exists' }, taint), true);
  assert.equal(toleratesTaint({ operator: 'Exists' }, taint), true);
  assert.equal(toleratesTaint({ key: 'dedicated', operator: 'Exists', effect: 'NoExecute' }, taint), false);
  assert.equal(toleratesTaint({ key: 'other', operator: 'Exists' }, taint), false);
});
