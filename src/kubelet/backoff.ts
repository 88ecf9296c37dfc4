/**
 * The kubelet's container restart back-off (client-go flowcontrol.Backoff as the kubelet uses it,
 * k8s-behavior §8.4): the first crash restarts at once; each later crash waits the current delay,
 * which starts at 10 s and doubles up to 5 min. A container that ran twice the maximum (10 min)
 * since the last restart starts over.
 */
export const INITIAL_BACKOFF_SECONDS = 10;
export const MAX_BACKOFF_SECONDS = 300;

export interface BackoffEntry {
  /** Current delay in seconds. */
  delay: number;
  /** When the delay was last set (cluster ms): the restart that followed the previous crash. */
  updatedAt: number;
}

function expired(eventAt: number, entry: BackoffEntry): boolean {
  return eventAt - entry.updatedAt > 2 * MAX_BACKOFF_SECONDS * 1000;
}

/** When a container that exited at `finishedAt` may start again (finishedAt itself when not in back-off). */
export function restartAllowedAt(entry: BackoffEntry | undefined, finishedAt: number): number {
  if (!entry || expired(finishedAt, entry)) return finishedAt;
  return finishedAt + entry.delay * 1000;
}

/** The entry after restarting a container that exited at `finishedAt`, at time `restartAt`. */
export function afterRestart(entry: BackoffEntry | undefined, finishedAt: number, restartAt: number): BackoffEntry {
  if (!entry || expired(finishedAt, entry)) return { delay: INITIAL_BACKOFF_SECONDS, updatedAt: restartAt };
  return { delay: Math.min(entry.delay * 2, MAX_BACKOFF_SECONDS), updatedAt: restartAt };
}

/** Go's time.Duration formatting for whole seconds: 10s, 1m20s, 5m0s. */
export function formatGoDuration(totalSeconds: number): string {
  const s = Math.round(totalSeconds);
  if (s < 60) return `${s}s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}h${m}m${s % 60}s` : `${m}m${s % 60}s`;
}
