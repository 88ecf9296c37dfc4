/** A source of time in epoch milliseconds. Everything that reads time takes one, so tests control it. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** How a cluster's own clock relates to real time: it starts at `originMs`, runs `timeScale`
 * times faster, and can be pushed forward by `skewMs` (tests and demos advance it). */
export interface ClusterClockSettings {
  originMs: number;
  timeScale: number;
  skewMs: number;
}

export function clusterTime(realNowMs: number, s: ClusterClockSettings): number {
  return s.originMs + (realNowMs - s.originMs) * s.timeScale + s.skewMs;
}

/** Real milliseconds until a cluster-clock delay elapses (at least 1 ms). */
export function realDelay(clusterDelayMs: number, timeScale: number): number {
  return Math.max(1, Math.ceil(clusterDelayMs / timeScale));
}

export function clusterClock(base: Clock, s: ClusterClockSettings): Clock {
  return { now: () => clusterTime(base.now(), s) };
}

export function isoTime(ms: number): string {
  // Kubernetes timestamps are RFC 3339 at second precision.
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
