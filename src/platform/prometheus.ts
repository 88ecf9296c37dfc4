import { Hono, type MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Job, Queue, Worker } from 'bullmq';
import { sql } from 'drizzle-orm';
import type { Database } from '../store/db.ts';
import { clusters } from '../store/schema/index.ts';
import type { AppEnv } from '../api/env.ts';
import type { MetricFamily } from '../monitoring/prometheus/families.ts';

/** Renders metric families in the Prometheus text format through a throwaway prom-client registry. */
export async function renderFamilies(families: MetricFamily[]): Promise<{ contentType: string; body: string }> {
  const registry = new Registry();
  for (const f of families) {
    if (f.samples.length === 0) continue;
    const labelNames = [...new Set(f.samples.flatMap((s) => Object.keys(s.labels)))];
    if (f.type === 'counter') {
      const counter = new Counter({ name: f.name, help: f.help, labelNames, registers: [registry] });
      for (const s of f.samples) counter.inc(s.labels, s.value);
    } else {
      const gauge = new Gauge({ name: f.name, help: f.help, labelNames, registers: [registry] });
      for (const s of f.samples) gauge.set(s.labels, s.value);
    }
  }
  return { contentType: registry.contentType, body: await registry.metrics() };
}

const JOB_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'failed'] as const;

/**
 * The service's own telemetry for `GET /metrics`: HTTP latency by route, queue depth and job
 * duration per queue, reconcile errors per controller, clusters by status, and Node process metrics.
 */
export class ServiceMetrics {
  readonly registry = new Registry();
  private readonly http: Histogram<'method' | 'route' | 'status'>;
  private readonly jobs: Histogram<'queue' | 'name' | 'outcome'>;
  private readonly reconcileErrors: Counter<'controller'>;

  constructor(deps: { database: Database; queues: Queue[] }) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'kates_' });
    this.http = new Histogram({
      name: 'kates_http_request_duration_seconds',
      help: 'HTTP request latency by method, route template and status code.',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.jobs = new Histogram({
      name: 'kates_job_duration_seconds',
      help: 'BullMQ job run time by queue, job name (the controller for reconcile jobs) and outcome.',
      labelNames: ['queue', 'name', 'outcome'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10, 30],
      registers,
    });
    this.reconcileErrors = new Counter({
      name: 'kates_reconcile_errors_total',
      help: 'Reconcile passes that threw, by controller.',
      labelNames: ['controller'],
      registers,
    });
    new Gauge({
      name: 'kates_queue_jobs',
      help: 'Jobs in each queue by state.',
      labelNames: ['queue', 'state'],
      registers,
      async collect() {
        this.reset();
        for (const q of deps.queues) {
          // While Redis is down the queues are unknown: the other metrics are still served.
          const counts = await q.getJobCounts(...JOB_STATES).catch(() => undefined);
          if (counts) for (const state of JOB_STATES) this.set({ queue: q.name, state }, counts[state] ?? 0);
        }
      },
    });
    new Gauge({
      name: 'kates_clusters',
      help: 'Clusters by status.',
      labelNames: ['status'],
      registers,
      async collect() {
        this.reset();
        const rows = await deps.database.db
          .select({ status: clusters.status, n: sql<number>`count(*)` })
          .from(clusters)
          .groupBy(clusters.status)
          .all();
        for (const r of rows) this.set({ status: r.status }, Number(r.n));
      },
    });
  }

  /** Times every request; the route label is the matched template, never the raw path. */
  httpMiddleware(): MiddlewareHandler<AppEnv> {
    const http = this.http;
    // One child per label set, found by a string key: observing then hashes no label object.
    const children = new Map<string, { observe(v: number): void }>();
    return async function measureRequest(c, next) {
      const started = performance.now();
      try {
        await next();
      } finally {
        const matched = matchedRoutes(c)[c.req.routeIndex]?.path;
        const route = matched && matched !== '*' && matched !== '/*' ? matched : 'unmatched';
        const key = `${c.req.method} ${c.res.status} ${route}`;
        let child = children.get(key);
        if (!child) children.set(key, (child = http.labels({ method: c.req.method, route, status: String(c.res.status) })));
        child.observe((performance.now() - started) / 1000);
      }
    };
  }

  /** Observes job durations and reconcile failures of this process' BullMQ workers. */
  watchWorkers(workers: readonly Worker[]): void {
    for (const w of workers) {
      const observe = (job: Job | undefined, outcome: string) => {
        if (!job?.processedOn) return;
        const seconds = ((job.finishedOn ?? Date.now()) - job.processedOn) / 1000;
        this.jobs.observe({ queue: w.name, name: job.name, outcome }, seconds);
      };
      w.on('completed', (job) => observe(job, 'completed'));
      w.on('failed', (job) => {
        observe(job, 'failed');
        if (w.name === 'reconcile' && job) this.reconcileErrors.inc({ controller: job.name });
      });
    }
  }

  /** `GET /metrics` in the Prometheus text format. */
  router(): Hono<AppEnv> {
    const app = new Hono<AppEnv>();
    app.get('/metrics', async (c) => c.body(await this.registry.metrics(), 200, { 'Content-Type': this.registry.contentType, 'Cache-Control': 'no-store' }));
    return app;
  }
}
