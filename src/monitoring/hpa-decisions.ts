import type { StoredSample } from './samples.ts';

/** A change of an HPA's desired replica count, seen between two consecutive samples. */
export interface HpaDecision {
  at: string;
  namespace: string;
  name: string;
  target: string;
  fromReplicas: number;
  toReplicas: number;
  cpuUtilization: number | null;
  targetCpuUtilization: number | null;
  reason: string | null;
}

/** Every change of desiredReplicas inside (fromMs, toMs], oldest first. The sample before the window
 * is the baseline, so a decision right at the window's start is still reported; an HPA first seen
 * wanting other than its current replicas has decided too (from current to desired). */
export function hpaDecisions(samples: StoredSample[], fromMs: number, toMs: number): HpaDecision[] {
  const out: HpaDecision[] = [];
  const last = new Map<string, number>();
  for (const s of samples) {
    if (s.at > toMs) break;
    for (const h of s.snapshot.hpas) {
      const key = `${h.namespace}/${h.name}`;
      // An HPA never scales to zero; 0 means the controller has not decided yet (e.g. no metrics).
      if (h.desiredReplicas === 0) continue;
      const prev = last.get(key) ?? h.currentReplicas;
      last.set(key, h.desiredReplicas);
      if (prev === h.desiredReplicas || s.at <= fromMs) continue;
      out.push({
        at: new Date(s.at).toISOString(),
        namespace: h.namespace,
        name: h.name,
        target: h.target,
        fromReplicas: prev,
        toReplicas: h.desiredReplicas,
        cpuUtilization: h.cpuUtilization,
        targetCpuUtilization: h.targetCpuUtilization,
        reason: h.reason,
      });
    }
  }
  return out;
}
