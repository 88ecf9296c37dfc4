/**
 * GKE Autopilot bills pod requests after adjusting them to what Autopilot would actually run
 * (shared/pricing.md §4.1): unset requests take the defaults 500m CPU, 2 GiB memory, 1 GiB ephemeral
 * storage; CPU goes up in 0.25 vCPU steps; memory must lie between 1 and 6.5 GiB per vCPU, and
 * whichever side is short is raised.
 */
const GiB = 2 ** 30;
const CPU_STEP_MILLI = 250;
const DEFAULT_CPU_MILLI = 500;
const DEFAULT_MEMORY_BYTES = 2 * GiB;
const DEFAULT_EPHEMERAL_BYTES = 1 * GiB;

export interface PodRequests {
  cpuMilli: number;
  memoryBytes: number;
  ephemeralBytes?: number;
}

export interface BillableRequests {
  cpuMilli: number;
  memoryBytes: number;
  ephemeralBytes: number;
}

function roundUpToStep(value: number, step: number): number {
  return Math.max(step, Math.ceil(value / step) * step);
}

export function autopilotBillableRequests(pod: PodRequests): BillableRequests {
  let cpuMilli = roundUpToStep(pod.cpuMilli > 0 ? pod.cpuMilli : DEFAULT_CPU_MILLI, CPU_STEP_MILLI);
  let memoryBytes = pod.memoryBytes > 0 ? pod.memoryBytes : DEFAULT_MEMORY_BYTES;
  const ephemeralBytes = pod.ephemeralBytes && pod.ephemeralBytes > 0 ? pod.ephemeralBytes : DEFAULT_EPHEMERAL_BYTES;

  // Too much memory per vCPU (> 6.5 GiB): raise CPU to memory / 6.5 GiB, in 250m steps.
  const cpuForMemory = Math.ceil((memoryBytes * 2000) / (13 * GiB));
  if (cpuForMemory > cpuMilli) cpuMilli = roundUpToStep(cpuForMemory, CPU_STEP_MILLI);
  // Too little memory per vCPU (< 1 GiB): raise memory to 1 GiB per vCPU.
  const memoryForCpu = Math.ceil((cpuMilli * GiB) / 1000);
  if (memoryBytes < memoryForCpu) memoryBytes = memoryForCpu;

  return { cpuMilli, memoryBytes, ephemeralBytes };
}
