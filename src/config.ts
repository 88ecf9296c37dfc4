import { z } from 'zod';

/** Environment → typed configuration, parsed once at start (12-factor). Nothing else reads the environment. */
const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().default('./data'),
  DATABASE_PATH: z.string().optional(),
  /** `postgres://…` selects PostgreSQL as the shared store; unset keeps the embedded SQLite file. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgres:// URL')
    .optional(),
  REDIS_URL: z.string().optional(),
  PUBLIC_URL: z.string().url().optional(),
  KATES_ADMIN_KEY: z.string().min(16).optional(),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  TLS: z.enum(['on', 'off']).default('on'),
  TLS_CERT_FILE: z.string().optional(),
  TLS_KEY_FILE: z.string().optional(),
  /** BullMQ key prefix, so several deployments (or test runs) can share one Redis. */
  QUEUE_PREFIX: z.string().default('kates'),
  /**
   * Where `npm start` (role all) runs the workers: `process`, a supervised child process with its own
   * event loop, so passes never delay API requests; `inline`, on the API's own loop (one process to
   * debug or profile).
   */
  WORKERS: z.enum(['process', 'inline']).default('process'),
  /** The nice value of that worker process (0: same priority as the API). */
  WORKER_NICE: z.coerce.number().int().min(0).max(19).default(10),
  /** Worker concurrency for reconcile jobs. */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
  /**
   * How long a job stays locked to a worker without a renewal. A worker that dies mid-job gives the
   * job back after about twice this (BullMQ's stalled-job check), so another worker can finish it.
   */
  JOB_LOCK_MS: z.coerce.number().int().min(500).default(30_000),
  /** Real-time period of the billing cycle (rating, budgets, alert webhooks). */
  BILLING_MS: z.coerce.number().int().min(100).default(60_000),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).default(3600),
  CLUSTER_TOKEN_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .default(365 * 24 * 3600),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  /** Requests per minute one cluster token may make to its cluster's Kubernetes API. */
  KUBE_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(6000),
  /**
   * Wildcard domain of the clusters' Kubernetes APIs: with `k8s.example.com`, cluster `cls_abc` answers
   * at `https://cls-abc.k8s.example.com` and kubeconfigs name that server (DNS and the TLS
   * certificate must cover `*.k8s.example.com`). Unset: kubeconfigs name the service root and the
   * cluster is told by the token's audience.
   */
  KUBE_CLUSTER_DOMAIN: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/i, 'a DNS domain such as k8s.example.com')
    .optional(),
  AUTH_JWKS_URL: z.string().url().optional(),
  AUTH_ISSUER: z.string().optional(),
  AUTH_AUDIENCE: z.string().optional(),
});

export type Role = 'all' | 'api' | 'worker';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databasePath: string;
  databaseUrl?: string;
  redisUrl?: string;
  publicUrl: string;
  adminKey?: string;
  logLevel: string;
  tls: boolean;
  tlsCertFile?: string;
  tlsKeyFile?: string;
  queuePrefix: string;
  workers: 'process' | 'inline';
  workerNice: number;
  workerConcurrency: number;
  billingMs: number;
  jobLockMs: number;
  accessTokenTtlSeconds: number;
  clusterTokenTtlSeconds: number;
  rateLimitPerMinute: number;
  kubeRateLimitPerMinute: number;
  /** KUBE_CLUSTER_DOMAIN: each cluster's API at `cls-<id>.<domain>`. */
  kubeClusterDomain?: string;
  issuer: string;
  externalAuth?: { jwksUrl: string; issuer: string; audience: string };
}

export function loadConfig(env: Record<string, string | undefined>): Config {
  // An empty variable means unset (e.g. `REDIS_URL= npm start`).
  const e = Env.parse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  const scheme = e.TLS === 'on' ? 'https' : 'http';
  const publicUrl = (e.PUBLIC_URL ?? `${scheme}://127.0.0.1:${e.PORT}`).replace(/\/$/, '');
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: e.DATA_DIR,
    databasePath: e.DATABASE_PATH ?? `${e.DATA_DIR.replace(/\/$/, '')}/kates.db`,
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    publicUrl,
    adminKey: e.KATES_ADMIN_KEY,
    logLevel: e.LOG_LEVEL,
    tls: e.TLS === 'on',
    tlsCertFile: e.TLS_CERT_FILE,
    tlsKeyFile: e.TLS_KEY_FILE,
    queuePrefix: e.QUEUE_PREFIX,
    workers: e.WORKERS,
    workerNice: e.WORKER_NICE,
    workerConcurrency: e.WORKER_CONCURRENCY,
    billingMs: e.BILLING_MS,
    jobLockMs: e.JOB_LOCK_MS,
    accessTokenTtlSeconds: e.ACCESS_TOKEN_TTL_SECONDS,
    clusterTokenTtlSeconds: e.CLUSTER_TOKEN_TTL_SECONDS,
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    kubeRateLimitPerMinute: e.KUBE_RATE_LIMIT_PER_MINUTE,
    kubeClusterDomain: e.KUBE_CLUSTER_DOMAIN?.toLowerCase(),
    issuer: publicUrl,
    externalAuth:
      e.AUTH_JWKS_URL && e.AUTH_ISSUER && e.AUTH_AUDIENCE ? { jwksUrl: e.AUTH_JWKS_URL, issuer: e.AUTH_ISSUER, audience: e.AUTH_AUDIENCE } : undefined,
  };
}
