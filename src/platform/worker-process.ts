import { fork } from 'node:child_process';
import { getPriority, setPriority } from 'node:os';
import type { Logger } from '../lib/logger.ts';
import { supervise, type Supervised } from './supervisor.ts';

/** The supervised worker process: its current pid, and a bounded stop. */
export type WorkerProcess = Supervised;

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
  return supervise({
    launch() {
      // The parent's execArgv carries tsx's loader; stdout and stderr are shared, so logs interleave as lines.
      const proc = fork(opts.entry, ['--role', 'worker'], { env: opts.env, execArgv: process.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      proc.on('error', (err) => log.error({ err: err.message }, 'worker process error'));
      try {
        // Relative to this process, as `nice -n` is.
        if (proc.pid && opts.nice) setPriority(proc.pid, Math.min(19, getPriority() + opts.nice));
      } catch (err) {
        log.warn({ err: (err as Error).message }, 'could not lower the worker process priority');
      }
      log.info({ workerPid: proc.pid, nice: opts.nice }, 'started the worker process');
      return proc;
    },
    // 200 ms doubling to 10 s.
    firstBackoffMs: 200,
    maxBackoffMs: 10_000,
    onExit: (code, signal, restartInMs) => log.error({ code, signal, restartInMs }, 'the worker process exited: restarting it'),
    // It finishes its running passes within its own bound; one that hangs is killed.
    onKill: (workerPid) => log.warn({ workerPid }, 'the worker process did not stop in time: killing it'),
  });
}
