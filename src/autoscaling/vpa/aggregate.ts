import { addSample, CPU_HISTOGRAM, emptyHistogram, MEMORY_HISTOGRAM, subtractSample, type HistogramState } from './histogram.ts';

/** Peaks of memory are kept per 24 h interval (`memory-aggregation-interval`). */
export const MEMORY_AGGREGATION_INTERVAL_MS = 24 * 3_600_000;
/** Each CPU sample weighs 0.1 (k8s-behavior §14.1). */
export const CPU_SAMPLE_WEIGHT = 0.1;
/** OOM bump: max(used + 100 MiB, used × 1.2). */
const OOM_MIN_BUMP_BYTES = 100 * 1024 * 1024;
const OOM_BUMP_RATIO = 1.2;

/** Usage history of one container name across the pods of one VPA target. */
export interface ContainerAggregate {
  cpu: HistogramState;
  memory: HistogramState;
  /** The current memory aggregation interval and the peak recorded for it. */
  memoryWindowEnd?: number;
  memoryPeak?: { value: number; at: number };
  firstSampleStart?: number;
  lastSampleStart?: number;
  totalSamplesCount: number;
}

export const emptyAggregate = (): ContainerAggregate => ({ cpu: emptyHistogram(), memory: emptyHistogram(), totalSamplesCount: 0 });

/** One CPU usage sample (cores) taken at `t`. */
export function addCpuSample(a: ContainerAggregate, cores: number, t: number): void {
  addSample(CPU_HISTOGRAM, a.cpu, cores, CPU_SAMPLE_WEIGHT, t);
  a.firstSampleStart = Math.min(a.firstSampleStart ?? t, t);
  a.lastSampleStart = Math.max(a.lastSampleStart ?? t, t);
  a.totalSamplesCount++;
}

/**
 * One memory observation (bytes). Only the peak of each interval enters the histogram: a higher
 * value in the same interval replaces the previous peak, a new interval starts a new peak.
 */
export function addMemorySample(a: ContainerAggregate, bytes: number, t: number): void {
  if (a.memoryWindowEnd === undefined || t >= a.memoryWindowEnd) {
    a.memoryWindowEnd = t + MEMORY_AGGREGATION_INTERVAL_MS;
    a.memoryPeak = undefined;
  }
  if (a.memoryPeak && bytes <= a.memoryPeak.value) return;
  if (a.memoryPeak) subtractSample(MEMORY_HISTOGRAM, a.memory, a.memoryPeak.value, 1, a.memoryPeak.at);
  addSample(MEMORY_HISTOGRAM, a.memory, bytes, 1, t);
  a.memoryPeak = { value: bytes, at: t };
}

/** An OOM kill: remember memory above what the container had (its request or peak). */
export function addOomSample(a: ContainerAggregate, usedBytes: number, t: number): void {
  addMemorySample(a, Math.max(usedBytes + OOM_MIN_BUMP_BYTES, usedBytes * OOM_BUMP_RATIO), t);
}
