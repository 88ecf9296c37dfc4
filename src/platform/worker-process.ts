import { fork, type ChildProcess } from 'node:child_process';
import { getPriority, setPriority } from 'node:os';
import type { Logger } from '../lib/logger.ts';

export interface WorkerProcess {
  /** The worker process' id right now (it changes when it is restarted); undefined between runs. */
  pid(): number | undefined;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it has exited. No restart afterwards. */
  stop(graceMs: number): Promise<void>;
}

export interface WorkerProcessOptions {
  /** The Node entry script (src/main.ts), run with `--role worker`. */
  entry: string;
  /** Its environment: the parent's, pointed at the same database and Redis. */
  env: Record<string, string | undefined>;
  log: Logger;
  /**
   * Its nice value over this process': when the machine's cores are all busy, the kernel serves the
   * API first (a request needs a few milliseconds; a pass can wait), and the workers still use every
   * idle cycle. Raising a child's nice value needs no privilege.
   */
  nice: number;
}

/** Restart back-off: 200 ms doubling to 10 s; a worker that ran for a minute starts the count again. */
const backoffMs = (failures: number) => Math.min(200 * 2 ** Math.max(0, failures - 1), 10_000);
const STABLE_MS = 60_000;

/**
 * Runs the workers (controllers, scheduler, kubelet, operations, billing) in a child process of their
 * own, so their passes and garbage collection never hold the API's event loop: one tenant's churn
 * then cannot delay another tenant's requests. The two share the SQLite file and Redis exactly as
 * `--role api` and `--role worker` processes do. The child is restarted with back-off when it dies,
 * and ends with this process: on `stop`, and by itself when its IPC channel closes (this process
 * died, even by kill -9).
 */
export function superviseWorkerProcess(opts: WorkerProcessOptions): WorkerProcess {
  const log = opts.log.child({ component: 'worker-process' });
  let child: ChildProcess | undefined;
  let stopping = false;
  let failures = 0;
  let restartTimer: ReturnType<typeof setTimeout> | undefined;

  const launch = () => {
    restartTimer = undefined;
    const startedAt = Date.now();
    // The parent's execArgv carries tsx's loader; stdout and stderr are shared, so logs interleave as lines.
    const proc = (child = fork(opts.entry, ['--role', 'worker'], { env: opts.env, execArgv: process.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
    proc.on('error', (err) => log.error({ err: err.message }, 'worker process error'));
    try {
      // Relative to this process, as `nice -n` is.
      if (proc.pid && opts.nice) setPriority(proc.pid, Math.min(19, getPriority() + opts.nice));
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'could not lower the worker process priority');
    }
    log.info({ workerPid: proc.pid, nice: opts.nice }, 'started the worker process');
    proc.once('exit', (code, signal) => {
      if (stopping) return;
      failures = Date.now() - startedAt > STABLE_MS ? 1 : failures + 1;
      const delay = backoffMs(failures);
      log.error({ workerPid: proc.pid, code, signal, restartInMs: delay }, 'the worker process exited: restarting it');
      restartTimer = setTimeout(launch, delay);
    });
  };
  launch();

  return {
    pid: () => (child && child.exitCode === null && child.signalCode === null ? child.pid : undefined),
    async stop(graceMs) {
      stopping = true;
      clearTimeout(restartTimer);
      const proc = child;
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      // It finishes its running passes within its own bound; one that hangs is killed.
      const timer = setTimeout(() => {
        log.warn({ workerPid: proc.pid }, 'the worker process did not stop in time: killing it');
        proc.kill('SIGKILL');
      }, graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
