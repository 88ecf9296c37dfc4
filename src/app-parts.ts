import type { Hono, MiddlewareHandler } from 'hono';
import type { AppEnv } from './api/env.ts';
import type { Deps } from './deps.ts';
import { createApp } from './app.ts';
import type { ChangeFeed } from './kube/watch/feed.ts';
import { buildKubeApp } from './kube-wiring.ts';
import { podLogReader } from './kubelet/logs.ts';
import { consoleRouter, type ConsoleAssets } from './console/router.ts';
import { kubeMetricsRouter, type MetricsRenderer } from './monitoring/prometheus/handler.ts';
import { clusterAuthenticator } from './auth/cluster-auth.ts';
import type { ReadinessCheck } from './readiness.ts';
import { RbacAuthorizer } from './rbac/authorizer.ts';
import type { WebSocketAcceptor } from './kube/exec/channels.ts';

/** What a deployment brings to the HTTP surface that the other deployment does differently. */
export interface RuntimeHttpParts {
  /** How watches learn of commits made by other processes (Redis pub/sub, D1 polling). */
  feed: ChangeFeed;
  /** The Prometheus text serializer for a cluster's `/metrics` (prom-client on Node). */
  renderMetrics: MetricsRenderer;
  /** The console's static files; without them the deployment serves no console. */
  consoleAssets?: ConsoleAssets;
  /** Middleware that sees every request first (Node's service metrics). */
  middleware?: MiddlewareHandler<AppEnv>[];
  /** Routers of this deployment only (Node's service `/metrics`), mounted ahead of the shared ones. */
  routers?: Hono<AppEnv>[];
  /** Dependencies /readyz probes besides the database (Redis on Node). */
  readiness?: Record<string, ReadinessCheck>;
  /**
   * When set, a cluster's compiled RBAC policy is rebuilt this often instead of following the feed
   * (Workers: a polling subscription per cached cluster would outlive the request that opened it).
   */
  rbacPolicyTtlMs?: number;
  /** How this runtime upgrades exec and attach requests to WebSockets. */
  acceptWebSocket?: WebSocketAcceptor;
}

/**
 * The whole HTTP surface of a deployment: the management API, each cluster's Kubernetes API, the
 * console and the clusters' Prometheus endpoints, assembled once for Node and Workers alike.
 */
export function buildHttpApp(deps: Deps, runtime: RuntimeHttpParts): Hono<AppEnv> {
  const { store, database, tokens } = deps;
  return createApp(deps, {
    kube: buildKubeApp(deps, runtime.feed, {
      podLogs: podLogReader(store),
      acceptWebSocket: runtime.acceptWebSocket,
      ...(runtime.rbacPolicyTtlMs ? { rbac: new RbacAuthorizer(store, undefined, { maxAgeMs: runtime.rbacPolicyTtlMs }) } : {}),
    }),
    middleware: runtime.middleware,
    readiness: runtime.readiness,
    extra: [...(runtime.routers ?? []), ...(runtime.consoleAssets ? [consoleRouter(runtime.consoleAssets)] : [])],
    clusterRouters: [kubeMetricsRouter({ store, authenticate: clusterAuthenticator(database, tokens, deps.revokedKeys), render: runtime.renderMetrics })],
  });
}
