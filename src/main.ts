import { loadConfig, type Role } from './config.ts';
import { startRuntime } from './platform/node-runtime.ts';
import { createLogger } from './platform/logger.ts';

/** Node entry: `npm start [-- --role api|worker]`. Runs API and workers in one process by default. */
function parseRole(argv: string[]): Role {
  const i = argv.indexOf('--role');
  const role = (i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith('--role='))?.slice(7)) ?? 'all';
  if (role !== 'all' && role !== 'api' && role !== 'worker') throw new Error(`--role must be api, worker or all (got ${role})`);
  return role;
}

/** A SIGTERM ends the process within this long, even with Redis gone (orchestrators kill at 10 s+). */
const SHUTDOWN_DEADLINE_MS = 9_500;

const config = loadConfig(process.env);
const log = createLogger(config.logLevel);
try {
  const runtime = await startRuntime(config, { role: parseRole(process.argv.slice(2)), log });
  if (runtime.generatedAdminKey) {
    // Printed once: only its hash is stored.
    process.stdout.write(`\nAdmin API key (shown once, keep it safe): ${runtime.generatedAdminKey}\n\n`);
  }
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
    await runtime.stop();
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
} catch (err) {
  log.error({ err: err instanceof Error ? err.message : String(err) }, 'kates failed to start');
  process.exit(1);
}
