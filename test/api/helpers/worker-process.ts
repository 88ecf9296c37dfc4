import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { testDatabaseEnv } from '../../helpers/database.ts';

export interface WorkerProcess {
  child: ChildProcess;
  /** What it printed so far (JSON logs), for failure messages. */
  output(): string;
  /** Sends a signal and resolves with the exit code (null when killed by the signal). */
  stop(signal: NodeJS.Signals): Promise<number | null>;
}

const root = resolve(import.meta.dirname, '../../..');

/**
 * `npm start -- --role worker` as a real child process. Node runs main.ts through tsx's loader
 * directly (what `npx tsx` does, minus the launcher process), so a signal reaches the worker itself.
 */
export function spawnWorker(env: Record<string, string>): WorkerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', '--role', 'worker'], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'info', ...testDatabaseEnv(env.DATA_DIR), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (c) => (out += c));
  child.stderr!.on('data', (c) => (out += c));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return {
    child,
    output: () => out,
    async stop(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
