import { fileURLToPath } from 'node:url';
import { loadConfig, type Role } from './config.ts';
import { startRuntime, type Runtime } from './platform/node-runtime.ts';
import { createLogger } from './platform/logger.ts';

/**
 * Node entry: `npm start [-- --role api|worker]`. By default (role all) this process serves the API
 * and runs the workers in a supervised child process of their own (`WORKERS=inline`: on this loop).
 */
function parseRole(argv: string[]): Role {
  const i = argv.indexOf('--role');
  const role = (i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith('--role='))?.slice(7)) ?? 'all';
  if (role !== 'all' && role !== 'api' && role !== 'worker') throw new Error(`--role must be api, worker or all (got ${role})`);
  return role;
}

/** A SIGTERM ends the process within this long, even with Redis gone (orchestrators kill at 10 s+). */
const SHUTDOWN_DEADLINE_MS = 9_500;

const config = loadConfig(process.env);
// A supervised worker process (it has an IPC channel to its service) tags its lines: both share stdout.
const log = process.send ? createLogger(config.logLevel).child({ process: 'worker' }) : createLogger(config.logLevel);
let runtime: Runtime | undefined;
let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'shutting down: finishing in-flight requests and jobs');
  // Each stop step is bounded; this is the last resort so a signal always ends the process.
  setTimeout(() => {
    log.error('shutdown took too long: exiting');
    process.exit(1);
  }, SHUTDOWN_DEADLINE_MS).unref();
  await runtime?.stop();
  log.info('stopped');
  process.exit(0);
};
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
// A worker process started by a service (an IPC channel) ends with it, even after a kill -9 of it.
// Its listener comes after the imports: a service that died while they loaded has already disconnected.
if (process.send) {
  if (!process.connected) void shutdown('the supervising service exited');
  process.on('disconnect', () => void shutdown('the supervising service exited'));
}
try {
  const role = parseRole(process.argv.slice(2));
  const workerProcess = role === 'all' && config.workers === 'process' ? { entry: fileURLToPath(import.meta.url), env: process.env } : undefined;
  runtime = await startRuntime(config, { role, log, workerProcess });
  if (runtime.generatedAdminKey) {
    // Printed once: only its hash is stored.
    process.stdout.write(`\nAdmin API key (shown once, keep it safe): ${runtime.generatedAdminKey}\n\n`);
  }
} catch (err) {
  log.error({ err: err instanceof Error ? err.message : String(err) }, 'kates failed to start');
  process.exit(1);
}
