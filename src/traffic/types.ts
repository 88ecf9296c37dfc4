/** One point of a daily traffic profile: `at` is a time of day on the cluster clock (UTC), "HH:MM" or "HH:MM:SS". */
export interface TrafficPoint {
  at: string;
  rps: number;
}

/**
 * A daily shape of load. `points` interpolates linearly between consecutive points (wrapping
 * around midnight); `steps` holds each value from its time until the next step.
 */
export interface TrafficProfile {
  type: 'points' | 'steps';
  points: TrafficPoint[];
}

/** Load on one Service: a constant `rps` or a daily `profile`, and what one request per second costs. */
export interface ServiceTraffic {
  namespace: string;
  name: string;
  rps?: number;
  profile?: TrafficProfile;
  /** CPU one request per second keeps busy, as a Kubernetes quantity ("5m"). */
  cpuPerRequest: string;
  /** Memory held per request per second of load ("1Mi"); optional. */
  memoryPerRequest?: string;
}

export interface TrafficSpec {
  services: ServiceTraffic[];
}

export const EMPTY_TRAFFIC: TrafficSpec = { services: [] };
