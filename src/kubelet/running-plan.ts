import { OOM_AFTER_SECONDS } from './behavior.ts';
import { probeFlips, startupOutcome, type Outcome } from './probes.ts';
import type { ContainerSim, PodSim } from './sim.ts';
import { containerUsage } from './usage.ts';

export type EndCause = 'exit' | 'oom' | 'liveness' | 'startup';

/** How a running container's life goes from its start, computed from its behaviour and probes. */
export interface RunningPlan {
  /** When `started` turns true (at start without a startup probe); undefined when the startup probe kills it first. */
  startedAt?: number;
  end?: { at: number; exitCode: number; reason: 'Completed' | 'Error' | 'OOMKilled'; cause: EndCause };
  /** Readiness before the first flip, and its changes before the end. */
  readyInitial: boolean;
  readyFlips: Array<{ at: number; state: boolean }>;
}

const S = 1000;
const NEVER = Number.NEGATIVE_INFINITY;

export function planRunning(sim: PodSim, c: ContainerSim, start: number): RunningPlan {
  const b = c.behavior;
  const ends: NonNullable<RunningPlan['end']>[] = [];

  let startedAt: number | undefined = start;
  if (c.startup) {
    const outcome = startupOutcome(c.startup, start + c.startup.initialDelaySeconds * S, start + b.startupSeconds * S);
    if ('started' in outcome) startedAt = outcome.started;
    else {
      startedAt = undefined;
      ends.push({ at: outcome.killed, exitCode: 137, reason: 'Error', cause: 'startup' });
    }
  }
  if (b.exitAfterSeconds !== undefined) {
    ends.push({ at: start + b.exitAfterSeconds * S, exitCode: b.exitCode, reason: b.exitCode === 0 ? 'Completed' : 'Error', cause: 'exit' });
  }
  if (containerUsage(sim.pod, c.spec).overMemoryLimit) {
    ends.push({ at: start + OOM_AFTER_SECONDS * S, exitCode: 137, reason: 'OOMKilled', cause: 'oom' });
  }
  if (c.liveness && startedAt !== undefined) {
    const probeStart = Math.max(start + c.liveness.initialDelaySeconds * S, startedAt);
    const failFrom = Math.min(
      b.failLivenessAfterSeconds !== undefined ? start + b.failLivenessAfterSeconds * S : Infinity,
      b.liveness === 'fail' && c.book.livenessFailAt !== undefined ? Math.max(c.book.livenessFailAt, start) : Infinity,
    );
    if (failFrom < Infinity) {
      const flips = probeFlips(c.liveness, probeStart, true, [
        { from: NEVER, pass: true },
        { from: failFrom, pass: false },
      ]);
      if (flips.length) ends.push({ at: flips[0].at, exitCode: 137, reason: 'Error', cause: 'liveness' });
    }
  }
  ends.sort((x, y) => x.at - y.at);
  const end = ends[0];
  if (startedAt !== undefined && end && startedAt >= end.at) startedAt = undefined;

  const readiness = readinessFlips(c, start, startedAt);
  return { startedAt, end, readyInitial: readiness.initial, readyFlips: readiness.flips.filter((f) => !end || f.at < end.at) };
}

function readinessFlips(c: ContainerSim, start: number, startedAt: number | undefined): { initial: boolean; flips: Array<{ at: number; state: boolean }> } {
  if (startedAt === undefined || (c.isInit && !c.isSidecar)) return { initial: false, flips: [] }; // a step, not a server
  if (!c.readiness) return { initial: false, flips: [{ at: startedAt, state: true }] }; // no probe: ready once started
  const probeStart = Math.max(start + c.readiness.initialDelaySeconds * S, startedAt);
  const passFrom = start + c.behavior.readyAfterSeconds * S;
  const toggle = c.book.readiness;
  if (toggle && toggle.at > start) {
    // The toggle was seen while this container ran: evolve from what readiness was at that moment.
    const after: Outcome[] =
      toggle.value === 'fail'
        ? [{ from: toggle.at, pass: false }]
        : [{ from: toggle.at, pass: toggle.at >= passFrom }, ...(passFrom > toggle.at ? [{ from: passFrom, pass: true }] : [])];
    return { initial: toggle.readyThen, flips: probeFlips(c.readiness, probeStart, toggle.readyThen, after) };
  }
  const outcomes: Outcome[] =
    toggle?.value === 'fail'
      ? [{ from: NEVER, pass: false }]
      : [
          { from: NEVER, pass: false },
          { from: passFrom, pass: true },
        ];
  return { initial: false, flips: probeFlips(c.readiness, probeStart, false, outcomes) };
}
