import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { decodeUtf8, nestsDeeperThan, prototypePointerSegment, shapeProblem, yamlNestsDeeperThan } from '../../../src/lib/body-shape.ts';

/** The real nesting depth of a parsed value (recursive: the values here are shallow). */
function depth(v: unknown): number {
  if (Array.isArray(v)) return 1 + Math.max(0, ...v.map(depth));
  if (v && typeof v === 'object') return 1 + Math.max(0, ...Object.values(v).map(depth));
  return 0;
}

const value = fc.jsonValue({ maxDepth: 8 });

test('property: the pre-scan of JSON text agrees with the depth of the parsed value', () => {
  fc.assert(
    fc.property(value, fc.nat(9), (v, max) => {
      const text = JSON.stringify(v);
      assert.equal(nestsDeeperThan(text, max), depth(v) > max, text);
      // The walk stops at the first problem: a prototype key met before the deep part is reported instead.
      const problem = shapeProblem(v, max);
      if (depth(v) > max) assert.ok(problem, text);
      else assert.notEqual(problem?.kind, 'depth', text);
    }),
    { numRuns: 2000 },
  );
});

test('property: the YAML pre-scan never counts fewer levels than a document has, and at most three per level', () => {
  fc.assert(
    fc.property(value, fc.nat(9), fc.constantFrom('flow', 'block', 'any') as fc.Arbitrary<'flow' | 'block' | 'any'>, (v, max, collectionStyle) => {
      const text = stringify(v, { collectionStyle });
      if (depth(v) > max) assert.equal(yamlNestsDeeperThan(text, max), true, text);
      assert.equal(yamlNestsDeeperThan(text, 3 * depth(v) + 1), false, text);
    }),
    { numRuns: 2000 },
  );
});

test('brackets inside strings, escapes, YAML comments and block scalars are not nesting', () => {
  assert.equal(nestsDeeperThan('{"a":"[[[[{{{{\\"[[["}', 1), false);
  assert.equal(yamlNestsDeeperThan('a: \'[[[[\'\nb: "{{{" # [[[[\nc: |\n  say "hi\nd: [x]\n', 2), false);
  assert.equal(yamlNestsDeeperThan('a: |\n  say "hi\nb: [[[x]]]\nc: "d"\n', 2), true);
  assert.equal(nestsDeeperThan('['.repeat(100_000), 256), true);
});

test('prototype keys and pointers are found wherever they are', () => {
  assert.deepEqual(shapeProblem(JSON.parse('{"a":[{"b":{"__proto__":{"x":1}}}]}'), 100), { kind: 'prototype-key', path: 'a[0].b.__proto__' });
  assert.deepEqual(shapeProblem({ metadata: { constructor: { prototype: { x: 1 } } } }, 100), {
    kind: 'prototype-key',
    path: 'metadata.constructor.prototype',
  });
  assert.equal(shapeProblem({ data: { constructor: 'x', prototype: 'y' } }, 100), undefined);
  assert.equal(prototypePointerSegment('/metadata/__proto__/x'), '__proto__');
  assert.equal(prototypePointerSegment('/constructor/prototype'), 'constructor/prototype');
  assert.equal(prototypePointerSegment('/data/constructor'), undefined);
  assert.equal(prototypePointerSegment('/a~1__proto__'), undefined);
});

test('UTF-8 decoding refuses bytes that are not UTF-8 instead of replacing them', () => {
  assert.equal(decodeUtf8(new Uint8Array([0x63, 0x61, 0x66, 0xc3, 0xa9])), 'café');
  assert.equal(decodeUtf8(new Uint8Array([0x63, 0x61, 0x66, 0xe9])), undefined);
  assert.equal(decodeUtf8(new Uint8Array([0xed, 0xa0, 0x80])), undefined); // an encoded lone surrogate
});
