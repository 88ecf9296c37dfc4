import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventSpamFilter } from '../../../src/controllers/shared/event-spam-filter.ts';

test('25 Events per involved object at once, then one per 5 minutes (client-go defaults)', () => {
  const f = new EventSpamFilter();
  const t = Date.parse('2026-01-01T00:00:00Z');
  const allowed = Array.from({ length: 40 }, () => f.allow('rs-a', t)).filter(Boolean).length;
  assert.equal(allowed, 25);
  assert.equal(f.allow('rs-b', t), true, 'other objects have their own bucket');
  assert.equal(f.allow('rs-a', t + 299_000), false);
  assert.equal(f.allow('rs-a', t + 300_000), true);
  assert.equal(f.allow('rs-a', t + 300_000), false);
  const later = Array.from({ length: 40 }, () => f.allow('rs-a', t + 3 * 3_600_000)).filter(Boolean).length;
  assert.equal(later, 25, 'the bucket refills up to the burst, not beyond');
});
