import type { ChildProcess } from 'node:child_process';

export interface Supervised {
  /** The child's process id right now (it changes when it is restarted); undefined between runs. */
  pid(): number | undefined;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it has exited. No restart afterwards. */
  stop(graceMs: number): Promise<void>;
}

export interface SupervisorOptions {
  /** Starts one run of the child. */
  launch(): ChildProcess;
  /** Restart back-off: `firstMs` doubling up to `maxMs`. */
  firstBackoffMs: number;
  maxBackoffMs: number;
  /** Called when a run ends unasked, with the delay before the next one. */
  onExit(code: number | null, signal: NodeJS.Signals | null, restartInMs: number): void;
  /** Called when a child did not stop within the grace period and is killed. */
  onKill?(pid: number | undefined): void;
}

/** A child that ran this long without dying starts the failure count again. */
const STABLE_MS = 60_000;

const running = (proc: ChildProcess | undefined): proc is ChildProcess => !!proc && proc.exitCode === null && proc.signalCode === null;

/**
 * Keeps a child process running: restarts it with exponential back-off whenever it exits, until
 * `stop`. The private redis-server and the worker process are both run this way.
 */
export function supervise(opts: SupervisorOptions): Supervised {
  let child: ChildProcess | undefined;
  let stopping = false;
  let failures = 0;
  let restartTimer: ReturnType<typeof setTimeout> | undefined;

  const launch = () => {
    restartTimer = undefined;
    const startedAt = Date.now();
    const proc = (child = opts.launch());
    proc.once('exit', (code, signal) => {
      if (stopping) return;
      failures = Date.now() - startedAt > STABLE_MS ? 1 : failures + 1;
      const delay = Math.min(opts.firstBackoffMs * 2 ** (failures - 1), opts.maxBackoffMs);
      opts.onExit(code, signal, delay);
      restartTimer = setTimeout(launch, delay);
    });
  };
  launch();

  return {
    pid: () => (running(child) ? child.pid : undefined),
    async stop(graceMs) {
      stopping = true;
      clearTimeout(restartTimer);
      const proc = child;
      if (!running(proc)) return;
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      const timer = setTimeout(() => {
        opts.onKill?.(proc.pid);
        proc.kill('SIGKILL');
      }, graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
