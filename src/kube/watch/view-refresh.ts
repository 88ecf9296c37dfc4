/**
 * Keeps an open watch of a kind with clock-derived fields (a healthy node's Lease renewTime) moving
 * as a real API server's would: about once per `periodMs` of cluster time, never more often than
 * once a real second, `refresh` re-sends the objects whose view changed. The cluster clock may run
 * faster than real time, so the pace is measured from two clock readings. Returns a stop function.
 */
export function startViewRefresh(periodMs: number, clusterNow: () => Promise<number>, refresh: () => Promise<void>): () => void {
  const MIN_REAL_MS = 1000;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let last: { real: number; cluster: number } | undefined;
  void clusterNow().then(
    (cluster) => (last ??= { real: Date.now(), cluster }),
    () => undefined,
  );
  const schedule = (delayMs: number) => {
    if (!stopped) timer = setTimeout(tick, delayMs);
  };
  const tick = async () => {
    try {
      const real = Date.now();
      const cluster = await clusterNow();
      const scale = last ? Math.max(1, (cluster - last.cluster) / Math.max(1, real - last.real)) : 1;
      last = { real, cluster };
      await refresh();
      schedule(Math.min(periodMs, Math.max(MIN_REAL_MS, periodMs / scale)));
    } catch {
      schedule(periodMs); // a failed look (the cluster went away) only delays the next
    }
  };
  schedule(MIN_REAL_MS);
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
