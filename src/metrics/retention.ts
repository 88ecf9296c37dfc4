/** metrics-server's resolution in the official manifests (k8s-behavior §16): one scrape per 15 s. */
export const SAMPLE_INTERVAL_MS = 15_000;
/** Raw samples kept per cluster: enough for the HPA (latest), the VPA (1 min passes) and `kubectl top`. */
export const SAMPLE_RETENTION_MS = 15 * 60_000;
/** Minute rollups answer "the last few hours" reports; hour rollups the monthly ones. */
export const MINUTE_ROLLUP_RETENTION_MS = 6 * 3_600_000;
export const HOUR_ROLLUP_RETENTION_MS = 35 * 86_400_000;

export const RESOLUTIONS = { minute: { key: '1m', ms: 60_000 }, hour: { key: '1h', ms: 3_600_000 } } as const;
export type Resolution = '1m' | '1h';

/** D1 binds at most 100 parameters per statement; multi-row inserts are chunked to stay under it. */
export const MAX_BOUND_PARAMS = 99;
