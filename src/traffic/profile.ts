import type { ServiceTraffic, TrafficProfile } from './types.ts';

const DAY_MS = 86_400_000;

/** "HH:MM" or "HH:MM:SS" → ms since midnight; undefined when malformed. */
export function parseTimeOfDay(at: string): number | undefined {
  const m = /^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$/.exec(at);
  if (!m) return undefined;
  return ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3] ?? 0)) * 1000;
}

/** Requests per second of a daily profile at cluster time `nowMs` (time of day in UTC). */
export function profileRpsAt(profile: TrafficProfile, nowMs: number): number {
  const points = profile.points
    .map((p) => ({ t: parseTimeOfDay(p.at), rps: p.rps }))
    .filter((p): p is { t: number; rps: number } => p.t !== undefined)
    .sort((a, b) => a.t - b.t);
  if (points.length === 0) return 0;
  if (points.length === 1) return points[0].rps;
  const tod = ((nowMs % DAY_MS) + DAY_MS) % DAY_MS;
  // The last point at or before now; before the first point of the day, yesterday's last one.
  let i = points.length - 1;
  for (let k = 0; k < points.length; k++) if (points[k].t <= tod) i = k;
  const from = points[i];
  if (profile.type === 'steps') return from.rps;
  const to = points[(i + 1) % points.length];
  const span = (to.t - from.t + DAY_MS) % DAY_MS || DAY_MS;
  const into = (tod - from.t + DAY_MS) % DAY_MS;
  return from.rps + ((to.rps - from.rps) * into) / span;
}

/** A Service's load at `nowMs`: its profile when it has one, else its constant rps. */
export function serviceRpsAt(traffic: ServiceTraffic, nowMs: number): number {
  const rps = traffic.profile ? profileRpsAt(traffic.profile, nowMs) : (traffic.rps ?? 0);
  return Math.max(0, rps);
}

/**
 * When a Service's load next changes after `nowMs` (cluster time): at the next point of a `steps`
 * profile or of a flat stretch, `resolutionMs` from now on a ramp (it changes continuously),
 * never (undefined) for a constant rate.
 */
export function nextRpsChange(traffic: ServiceTraffic, nowMs: number, resolutionMs: number): number | undefined {
  const times = [...new Set((traffic.profile?.points ?? []).map((p) => parseTimeOfDay(p.at)).filter((t): t is number => t !== undefined))].sort(
    (a, b) => a - b,
  );
  if (!traffic.profile || times.length < 2) return undefined;
  const dayStart = nowMs - (((nowMs % DAY_MS) + DAY_MS) % DAY_MS);
  const tod = nowMs - dayStart;
  const nextPoint = dayStart + (times.find((t) => t > tod) ?? times[0] + DAY_MS);
  if (traffic.profile.type === 'points' && profileRpsAt(traffic.profile, nowMs + 1) !== profileRpsAt(traffic.profile, nowMs)) {
    return Math.min(nextPoint, nowMs + resolutionMs);
  }
  return nextPoint;
}
