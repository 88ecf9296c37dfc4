/**
 * Probe arithmetic. A simulated probe handler's outcome is a step function of time (declared by
 * annotations), so instead of running probes every period the kubelet computes when the
 * consecutive-success / consecutive-failure thresholds are crossed: no timer per pod.
 */
export interface ProbeSpec {
  initialDelaySeconds: number;
  periodSeconds: number;
  successThreshold: number;
  failureThreshold: number;
  /** A short text for messages, e.g. `HTTP probe failed with statuscode: 500`. */
  failureMessage: string;
}

/** The fields of a core/v1 Probe the simulation reads (an upstream `Probe` is one). */
interface ProbeFields {
  initialDelaySeconds?: number;
  periodSeconds?: number;
  successThreshold?: number;
  failureThreshold?: number;
  httpGet?: object;
  tcpSocket?: object;
  grpc?: object;
  exec?: object;
}

/** core/v1 defaults (k8s-behavior §8.5): delay 0, period 10 s, success 1, failure 3. */
export function probeSpec(raw: ProbeFields | undefined): ProbeSpec | undefined {
  if (!raw) return undefined;
  const int = (v: unknown, d: number, min: number) => (typeof v === 'number' && Number.isFinite(v) ? Math.max(min, Math.floor(v)) : d);
  return {
    initialDelaySeconds: int(raw.initialDelaySeconds, 0, 0),
    periodSeconds: int(raw.periodSeconds, 10, 1),
    successThreshold: int(raw.successThreshold, 1, 1),
    failureThreshold: int(raw.failureThreshold, 3, 1),
    failureMessage: failureText(raw),
  };
}

function failureText(raw: ProbeFields): string {
  if (raw.httpGet) return 'HTTP probe failed with statuscode: 500';
  if (raw.tcpSocket) return `dial tcp: connect: connection refused`;
  if (raw.grpc) return 'timeout: failed to connect service within 1s';
  return 'command terminated with exit code 1';
}

/** A piece of the handler's outcome: from `from` (ms) on, probes pass or fail, until the next piece. */
export interface Outcome {
  from: number;
  pass: boolean;
}

/** Probe instants are `start + k × period`; the first one at or after `t`. */
export function probeAtOrAfter(t: number, start: number, periodMs: number): number {
  if (t <= start) return start;
  return start + Math.ceil((t - start) / periodMs) * periodMs;
}

/**
 * The moments the probed state flips. `state` true means succeeding (ready / alive); it turns true
 * after `successThreshold` consecutive passes and false after `failureThreshold` consecutive
 * failures. Probes run at `probeStart + k × period`.
 */
export function probeFlips(spec: ProbeSpec, probeStart: number, initial: boolean, outcomes: Outcome[]): Array<{ at: number; state: boolean }> {
  const period = spec.periodSeconds * 1000;
  const merged = mergeOutcomes(outcomes);
  const flips: Array<{ at: number; state: boolean }> = [];
  let state = initial;
  merged.forEach((seg, i) => {
    if (seg.pass === state) return;
    const end = i + 1 < merged.length ? merged[i + 1].from : Infinity;
    const need = seg.pass ? spec.successThreshold : spec.failureThreshold;
    const at = probeAtOrAfter(seg.from, probeStart, period) + (need - 1) * period;
    if (at < end) {
      state = seg.pass;
      flips.push({ at, state });
    }
  });
  return flips;
}

/** Sorted, with neighbours of equal outcome joined (consecutive counts run across them). */
function mergeOutcomes(outcomes: Outcome[]): Outcome[] {
  const sorted = [...outcomes].sort((a, b) => a.from - b.from);
  const out: Outcome[] = [];
  for (const o of sorted) {
    const last = out[out.length - 1];
    if (last && last.from === o.from) last.pass = o.pass;
    else if (!last || last.pass !== o.pass) out.push({ ...o });
  }
  return out;
}

/** The state at time `t` given its flips (the initial state before the first one). */
export function stateAt(initial: boolean, flips: Array<{ at: number; state: boolean }>, t: number): boolean {
  let s = initial;
  for (const f of flips) if (f.at <= t) s = f.state;
  return s;
}

/**
 * Startup probe: the container is "started" at the first passing probe; it is killed when the
 * first `failureThreshold` probes all fail first. Returns which happens and when.
 */
export function startupOutcome(spec: ProbeSpec, probeStart: number, passesFrom: number): { started: number } | { killed: number } {
  const period = spec.periodSeconds * 1000;
  const firstPass = probeAtOrAfter(passesFrom, probeStart, period);
  const killAt = probeStart + (spec.failureThreshold - 1) * period;
  return firstPass <= killAt ? { started: firstPass } : { killed: killAt };
}
