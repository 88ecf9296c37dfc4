import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ServiceError, invalidFields, type ServiceErrorCode } from '../../src/services/errors.ts';
import { toApiError } from '../../src/api/errors.ts';
import { kubeStatusOf } from '../../src/kube-wiring.ts';
import { KubeError } from '../../src/kube/status.ts';

/** A service refusal is mapped once per transport: the /v1 error code and a Kubernetes Status. */
const expected: Record<ServiceErrorCode, { v1: string; status: number; kube: number; reason: string }> = {
  not_found: { v1: 'NOT_FOUND', status: 404, kube: 404, reason: 'NotFound' },
  conflict: { v1: 'CONFLICT', status: 409, kube: 409, reason: 'Conflict' },
  invalid: { v1: 'VALIDATION_FAILED', status: 422, kube: 422, reason: 'Invalid' },
  quota_exceeded: { v1: 'QUOTA_EXCEEDED', status: 403, kube: 403, reason: 'Forbidden' },
  forbidden: { v1: 'FORBIDDEN', status: 403, kube: 403, reason: 'Forbidden' },
  unavailable: { v1: 'UNAVAILABLE', status: 503, kube: 503, reason: 'ServiceUnavailable' },
};

test('every service code has its /v1 code and status, message and details kept', () => {
  for (const [code, want] of Object.entries(expected)) {
    const api = toApiError(new ServiceError(code as ServiceErrorCode, `refused ${code}`, { clusterId: 'cls_1' }));
    assert.equal(api.code, want.v1, code);
    assert.equal(api.status, want.status, code);
    assert.equal(api.message, `refused ${code}`);
    assert.deepEqual(api.details, { clusterId: 'cls_1' });
  }
});

test('every service code has its Kubernetes Status; other errors pass through', () => {
  for (const [code, want] of Object.entries(expected)) {
    const ke = kubeStatusOf(new ServiceError(code as ServiceErrorCode, 'tenant t not found'));
    assert.ok(ke instanceof KubeError, code);
    assert.equal(ke.code, want.kube, code);
    assert.equal(ke.status.reason, want.reason, code);
    assert.equal(ke.status.message, 'tenant t not found');
  }
  const other = new Error('boom');
  assert.equal(kubeStatusOf(other), other);
});

test('field issues name the first one in the message and keep them all', () => {
  const err = invalidFields([
    { field: 'region', message: 'unknown' },
    { field: 'tier', message: 'unknown' },
  ]);
  assert.equal(err.code, 'invalid');
  assert.equal(err.message, 'region: unknown');
  assert.equal((err.details.issues as unknown[]).length, 2);
});
