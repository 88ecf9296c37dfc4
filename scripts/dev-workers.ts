import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join, resolve } from 'node:path';
import { loadOrCreateTls } from '../src/platform/tls.ts';
import { randomString } from '../src/lib/ids.ts';

/**
 * `npm run dev:workers`: the Worker on this machine with `wrangler dev` (workerd from npm, local D1
 * and Queues under DATA_DIR). It applies the D1 migrations, serves HTTPS with the same private CA as
 * `npm start` (so kubeconfigs carry it and kubectl sends tokens; TLS=off for plain HTTP), and fires
 * the Cron Trigger every minute, which `wrangler dev` does not do by itself.
 *
 * Environment: PORT (8787), HOST (127.0.0.1), DATA_DIR (./data/workers), TLS (on), TLS_CERT_FILE and
 * TLS_KEY_FILE (else a private CA under DATA_DIR), KATES_ADMIN_KEY
 * (generated once into DATA_DIR and printed), and any of the service's settings (LOG_LEVEL, BILLING_MS…),
 * which are handed to the Worker as vars.
 */
const root = resolve(import.meta.dirname, '..');
const port = Number(process.env.PORT ?? 8787);
const host = process.env.HOST && process.env.HOST !== '0.0.0.0' ? process.env.HOST : '127.0.0.1';
const dataDir = resolve(process.env.DATA_DIR ?? join(root, 'data/workers'));
const tls = (process.env.TLS ?? 'on') !== 'off';
const scheme = tls ? 'https' : 'http';
const url = `${scheme}://${host}:${port}`;
const persist = join(dataDir, 'wrangler');
const wrangler = join(root, 'node_modules/.bin/wrangler');
// No telemetry, and no look-up of the edge's Request.cf data (a placeholder is fine locally). WRANGLER_LOG is
// left alone: setting it also hides the Worker's own console output.
const env = { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' };
/** The service settings a Worker takes as vars (src/config.ts, plus the Workers-only ones). */
const PASSED = [
  'LOG_LEVEL',
  'BILLING_MS',
  'ACCESS_TOKEN_TTL_SECONDS',
  'CLUSTER_TOKEN_TTL_SECONDS',
  'RATE_LIMIT_PER_MINUTE',
  'KUBE_RATE_LIMIT_PER_MINUTE',
  'AUTH_JWKS_URL',
  'AUTH_ISSUER',
  'AUTH_AUDIENCE',
  'WATCH_POLL_MS',
  'SIGNING_KEY_JWK',
];

mkdirSync(dataDir, { recursive: true });
const adminKeyFile = join(dataDir, 'admin-key');
let adminKey = process.env.KATES_ADMIN_KEY;
if (!adminKey) {
  if (existsSync(adminKeyFile)) adminKey = readFileSync(adminKeyFile, 'utf8').trim();
  else {
    adminKey = `kates_admin_${randomString(32)}`;
    writeFileSync(adminKeyFile, adminKey, { mode: 0o600 });
    process.stdout.write(`\nAdmin API key (also in ${adminKeyFile}): ${adminKey}\n\n`);
  }
}

const certFile = process.env.TLS_CERT_FILE;
const keyFile = process.env.TLS_KEY_FILE;
const material = tls ? await loadOrCreateTls({ dataDir, publicHost: host, certFile, keyFile }) : undefined;
const vars: Record<string, string> = { PUBLIC_URL: process.env.PUBLIC_URL ?? url, KATES_ADMIN_KEY: adminKey };
for (const name of PASSED) if (process.env[name]) vars[name] = process.env[name]!;
if (material?.caCert) vars.CA_CERT = material.caCert;
const envFile = join(dataDir, 'worker.env');
// Double-quoted values keep the PEM's line breaks as \n escapes, which the env-file reader expands.
writeFileSync(
  envFile,
  Object.entries(vars)
    .map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`)
    .join('\n') + '\n',
  { mode: 0o600 },
);

const migrate = spawnSync(wrangler, ['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', persist], {
  cwd: root,
  env,
  stdio: ['ignore', 'ignore', 'inherit'],
});
if (migrate.status !== 0) {
  console.error('applying D1 migrations failed');
  process.exit(1);
}

// --test-scheduled: `/__scheduled` fires the Cron Trigger (the /cdn-cgi route does not reach a Worker with assets).
const args = [
  'dev',
  '--port',
  String(port),
  '--ip',
  host,
  '--persist-to',
  persist,
  '--env-file',
  envFile,
  '--test-scheduled',
  '--show-interactive-dev-session=false',
];
if (tls) {
  // The files loadOrCreateTls keeps under DATA_DIR/tls, unless given.
  args.push(
    '--local-protocol',
    'https',
    '--https-key-path',
    keyFile ?? join(dataDir, 'tls', 'server.key'),
    '--https-cert-path',
    certFile ?? join(dataDir, 'tls', 'server.crt'),
  );
}
const child = spawn(wrangler, args, { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'] });

/** The Cron Trigger, as Cloudflare would fire it ("* * * * *" in wrangler.toml). */
function fireCron(): Promise<number> {
  const target = new URL('/__scheduled?cron=' + encodeURIComponent('* * * * *'), url);
  if (!tls) return fetch(target).then((r) => r.status);
  return new Promise((resolveStatus, reject) => {
    const req = request(target, { ca: material?.caCert }, (res) => {
      res.resume();
      res.on('end', () => resolveStatus(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

let cron: NodeJS.Timeout | undefined;
const waitReady = async () => {
  for (let i = 0; i < 600 && child.exitCode === null; i++) {
    if ((await fireCron().catch(() => 0)) === 200) {
      console.log(`kates (Workers) listening on ${url}`);
      cron = setInterval(() => void fireCron().catch(() => undefined), 60_000);
      return;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
};
void waitReady();

const stop = () => {
  if (cron) clearInterval(cron);
  child.kill('SIGTERM');
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
child.on('exit', (code) => {
  if (cron) clearInterval(cron);
  process.exit(code ?? 0);
});
