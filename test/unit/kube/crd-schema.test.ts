import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { applyDefaults, prune, type SchemaNode } from '../../../src/kube/crd/structural.ts';
import { SchemaValidator } from '../../../src/kube/crd/schema-validation.ts';
import { compareKubeVersions } from '../../../src/kube/crd/custom-resources.ts';
import { fieldErrorMessage } from '../../../src/kube/status.ts';

const schema: SchemaNode = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        replicas: { type: 'integer', default: 1, minimum: 0 },
        mode: { type: 'string', enum: ['a', 'b'], nullable: true },
        port: { 'x-kubernetes-int-or-string': true },
        free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { known: { type: 'string' } } },
        nested: { type: 'object', default: {}, properties: { level: { type: 'string', default: 'info' } } },
        items: { type: 'array', maxItems: 2, items: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] } },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
      },
    },
  },
};

test('pruning drops unknown fields except under preserve-unknown-fields, and non-nullable nulls', () => {
  const obj: any = {
    apiVersion: 'x/v1',
    kind: 'X',
    metadata: { name: 'a' },
    top: 1,
    spec: { replicas: null, mode: null, junk: true, free: { any: { deep: 1 } }, items: [{ name: 'n', extra: 1 }], labels: { a: 'b' } },
  };
  const dropped = prune(obj, schema);
  assert.deepEqual(dropped.sort(), ['spec.items[0].extra', 'spec.junk', 'top']);
  assert.deepEqual(obj, {
    apiVersion: 'x/v1',
    kind: 'X',
    metadata: { name: 'a' },
    spec: { mode: null, free: { any: { deep: 1 } }, items: [{ name: 'n' }], labels: { a: 'b' } },
  });
});

test('defaulting fills missing fields top-down, inside defaulted objects too', () => {
  const obj: any = { spec: {} };
  applyDefaults(obj, schema);
  assert.deepEqual(obj.spec, { replicas: 1, nested: { level: 'info' } });
  const kept: any = { spec: { replicas: 0, nested: { level: 'debug' } } };
  applyDefaults(kept, schema);
  assert.deepEqual(kept.spec, { replicas: 0, nested: { level: 'debug' } });
});

test('validation errors are worded as the API server words them', () => {
  const v = new SchemaValidator(schema);
  const msgs = (o: unknown) => v.validate(o).map(fieldErrorMessage);
  assert.deepEqual(msgs({ spec: { replicas: -1 } }), ['spec.replicas: Invalid value: -1: spec.replicas in body should be greater than or equal to 0']);
  assert.deepEqual(msgs({ spec: { mode: 'c' } }), ['spec.mode: Unsupported value: "c": supported values: "a", "b"']);
  assert.deepEqual(msgs({ spec: { mode: null, port: 'http' } }), []);
  assert.deepEqual(msgs({ spec: { port: 1.5 } }), ['spec.port: Invalid value: "number": spec.port in body must be of type integer,string: "number"']);
  assert.deepEqual(msgs({ spec: { items: [{}, { name: 'x' }, { name: 'y' }] } }), [
    'spec.items: Too many: 3: must have at most 2 items',
    'spec.items[0].name: Required value',
  ]);
  assert.deepEqual(msgs({ spec: { labels: { a: 1 } } }), ['spec.labels.a: Invalid value: "integer": spec.labels.a in body must be of type string: "integer"']);
});

test('validation never throws on any JSON value', () => {
  const v = new SchemaValidator(schema);
  fc.assert(fc.property(fc.jsonValue(), (value) => void v.validate({ spec: value })));
});

test('version priority: GA, then beta, then alpha, higher first; others alphabetically last', () => {
  const sorted = ['v1alpha1', 'foo', 'v2beta1', 'v1', 'v1beta2', 'v2', 'v1beta1', 'bar'].sort(compareKubeVersions);
  assert.deepEqual(sorted, ['v2', 'v1', 'v2beta1', 'v1beta2', 'v1beta1', 'v1alpha1', 'bar', 'foo']);
});

test('RE2 patterns JavaScript cannot compile in unicode mode are accepted and not checked', () => {
  const v = new SchemaValidator({
    type: 'object',
    properties: { a: { type: 'string', pattern: '^[a-z\\_]+$' }, b: { type: 'string', pattern: '(?i)^abc$' }, c: { type: 'string', pattern: '^x+$' } },
  });
  assert.deepEqual(v.validate({ a: 'ok_1', b: 'ABC', c: 'xx' }), []);
  assert.equal(v.validate({ c: 'y' }).length, 1);
});
