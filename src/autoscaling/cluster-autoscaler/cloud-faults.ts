import type { ScaleUpError } from './backoff.ts';

export const CLOUD_FAULTS = ['out-of-capacity', 'quota-exceeded', 'never-registers', 'api-error'] as const;
export type CloudFaultKind = (typeof CLOUD_FAULTS)[number];

/**
 * A fault of the simulated cloud behind one node pool, for testing how the autoscaler copes:
 * - `out-of-capacity` / `quota-exceeded`: new instances fail to be created and the provider says why;
 * - `never-registers`: instances start but their nodes never join (the scale-up times out);
 * - `api-error`: the provider refuses the resize request itself.
 * The pool still grows normally up to `capacity` nodes (booting ones included); the fault hits the
 * nodes beyond it, or every new node when `capacity` is absent. Kept under `cloudFaults` in the
 * cluster's settings JSON.
 */
export interface CloudFault {
  nodePool: string;
  fault: CloudFaultKind;
  capacity?: number;
}

export function cloudFaultsOf(settingsJson: string): CloudFault[] {
  try {
    const raw = (JSON.parse(settingsJson) as { cloudFaults?: unknown }).cloudFaults;
    return Array.isArray(raw) ? (raw as CloudFault[]) : [];
  } catch {
    return [];
  }
}

/** How many of `count` new nodes of a pool that has `have` nodes (registered or booting) the fault hits. */
export function faultedCount(fault: CloudFault | undefined, have: number, count: number): number {
  if (!fault) return 0;
  const room = Math.max(0, (fault.capacity ?? 0) - have);
  return Math.max(0, count - room);
}

/**
 * The error the provider reports for an instance it could not create. The codes are the ones each
 * cloud uses for a stock-out or an exhausted quota (EC2, Compute Engine, Azure); the wording is ours.
 */
export function instanceError(fault: 'out-of-capacity' | 'quota-exceeded', provider: string, instanceType: string, region: string): ScaleUpError {
  if (fault === 'out-of-capacity') {
    if (provider === 'gke')
      return {
        errorClass: 'OutOfResource',
        errorCode: 'RESOURCE_POOL_EXHAUSTED',
        errorMessage: `Instance creation failed: the zone ${region}-a does not have enough resources available to fulfill the request (${instanceType}).`,
      };
    if (provider === 'aks')
      return {
        errorClass: 'OutOfResource',
        errorCode: 'AllocationFailed',
        errorMessage: `Allocation failed: not enough capacity for VM size ${instanceType} in region ${region}.`,
      };
    return {
      errorClass: 'OutOfResource',
      errorCode: 'InsufficientInstanceCapacity',
      errorMessage: `We currently do not have sufficient ${instanceType} capacity in the Availability Zone you requested (${region}a).`,
    };
  }
  if (provider === 'gke')
    return { errorClass: 'OutOfResource', errorCode: 'QUOTA_EXCEEDED', errorMessage: `Instance creation failed: Quota 'CPUS' exceeded in region ${region}.` };
  if (provider === 'aks')
    return {
      errorClass: 'OutOfResource',
      errorCode: 'QuotaExceeded',
      errorMessage: `Operation could not be completed as it results in exceeding approved cores quota for ${instanceType} in ${region}.`,
    };
  return {
    errorClass: 'OutOfResource',
    errorCode: 'VcpuLimitExceeded',
    errorMessage: `You have requested more vCPU capacity than your current vCPU limit allows for ${instanceType} in ${region}.`,
  };
}

/** The resize request refused by the provider (upstream files it as a `cloudProviderError`). */
export function resizeRefused(pool: string, provider: string): ScaleUpError {
  const api = provider === 'gke' ? 'instanceGroupManagers.resize' : provider === 'aks' ? 'VirtualMachineScaleSets.Update' : 'SetDesiredCapacity';
  return { errorClass: 'Other', errorCode: 'cloudProviderError', errorMessage: `failed to increase node group ${pool}: ${api} was refused by the provider` };
}
