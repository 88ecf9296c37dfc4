import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeTemplateHash, templatesEqualIgnoringHash } from '../../../src/controllers/shared/template-hash.ts';

const template = () => ({
  metadata: { labels: { app: 'web' } },
  spec: { containers: [{ name: 'c', image: 'nginx:1.25', ports: [{ containerPort: 80 }] }] },
});

test('the same template always gives the same hash, in the generateName alphabet', () => {
  const h = computeTemplateHash(template());
  assert.equal(computeTemplateHash(template()), h);
  assert.match(h, /^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
});

test('key order, nulls, empty objects, defaults and the hash label do not change the hash', () => {
  const h = computeTemplateHash(template());
  // A template as a client may send it: JSON nulls are not in the upstream types.
  const noisy: any = {
    spec: {
      restartPolicy: 'Always',
      containers: [{ resources: {}, ports: [{ protocol: 'TCP', containerPort: 80 }], image: 'nginx:1.25', name: 'c', imagePullPolicy: 'IfNotPresent' }],
      dnsPolicy: 'ClusterFirst',
    },
    metadata: { creationTimestamp: null, labels: { 'pod-template-hash': 'abc', app: 'web' } },
  };
  assert.equal(computeTemplateHash(noisy), h);
  assert.ok(templatesEqualIgnoringHash(noisy, template()));
});

test('a different template or a collisionCount gives a different hash', () => {
  const h = computeTemplateHash(template());
  const changed = template();
  changed.spec.containers[0].image = 'nginx:1.26';
  assert.notEqual(computeTemplateHash(changed), h);
  assert.ok(!templatesEqualIgnoringHash(changed, template()));
  assert.notEqual(computeTemplateHash(template(), 0), h);
  assert.notEqual(computeTemplateHash(template(), 1), computeTemplateHash(template(), 0));
  const explicitPolicy = template();
  (explicitPolicy.spec.containers[0] as Record<string, unknown>).imagePullPolicy = 'Always';
  assert.notEqual(computeTemplateHash(explicitPolicy), h, 'a non-default value is part of the template');
});
