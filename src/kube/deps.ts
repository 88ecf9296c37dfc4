import type { ObjectStore } from '../store/objects.ts';
import type { ClusterPrincipal } from '../auth/principal.ts';
import type { Logger } from '../lib/logger.ts';
import type { KubeObject } from './types.ts';
import type { ChangeFeed } from './watch/feed.ts';
import type { RbacAuthorizer } from '../rbac/authorizer.ts';
import type { ServiceAccountTokens } from '../auth/service-account-tokens.ts';
import type { WebSocketAcceptor } from './exec/channels.ts';

export interface ClusterInfo {
  tenantId: string;
  /** `1.32` or `v1.32.4`; `/version` reports it (kubectl's dispatcher picks its binary by the minor). */
  kubernetesVersion: string;
  status: string;
}

/** Per-token request budget; `allowed: false` answers 429 with Retry-After. */
export interface RateLimiter {
  take(key: string): Promise<{ allowed: boolean; retryAfterSeconds?: number }>;
}

/** The tenant plan's cap on stored objects per cluster. */
export interface ObjectQuota {
  check(clusterId: string, tenantId: string): Promise<{ limit: number; used: number } | undefined>;
}

/** metrics.k8s.io/v1beta1, served by the autoscaling part; the API only routes and wraps lists. */
export interface MetricsApi {
  list(clusterId: string, resource: 'nodes' | 'pods', opts: { namespace?: string; labelSelector?: string }): Promise<KubeObject[]>;
  get(clusterId: string, resource: 'nodes' | 'pods', namespace: string, name: string): Promise<KubeObject | undefined>;
}

export interface WatchSettings {
  /** How often a watch with allowWatchBookmarks gets a BOOKMARK (real ms). Default 60 s. */
  bookmarkIntervalMs?: number;
  /** A watch without timeoutSeconds closes after a random time in [min, 2·min) seconds. Default 1800. */
  minTimeoutSeconds?: number;
}

export interface KubeDeps {
  store: ObjectStore;
  /** Verifies the bearer token for this cluster; throws when it is missing, bad or someone else's. */
  authenticate(authorizationHeader: string | undefined, clusterId: string): Promise<ClusterPrincipal>;
  clusterInfo(clusterId: string): Promise<ClusterInfo | undefined>;
  feed: ChangeFeed;
  rateLimiter?: RateLimiter;
  objectQuota?: ObjectQuota;
  /** The simulated kubelet's log text for a container (`previous`: its last terminated instance); a short generated log otherwise. */
  podLogs?(clusterId: string, namespace: string, pod: string, container: string, previous?: boolean): Promise<string>;
  metricsApi?: MetricsApi;
  logger?: Logger;
  /**
   * Errors of the layers this API calls into but may not import (a service's refusal) as a Status
   * (or anything else the error handler maps); errors it does not know pass through unchanged.
   */
  translateError?(err: unknown): unknown;
  watch?: WatchSettings;
  /** The RBAC authorizer; one is made from `store` and `feed` when absent. */
  rbac?: RbacAuthorizer;
  /** Mints ServiceAccount tokens (TokenRequest); without it `serviceaccounts/token` answers 503. */
  serviceAccountTokens?: ServiceAccountTokens;
  /** Upgrades a request to a WebSocket for exec and attach (the runtime's own mechanism); without it they answer 501. */
  acceptWebSocket?: WebSocketAcceptor;
  /** Revoked API keys: a watch whose token was minted with one ends when it is revoked. */
  revokedKeys?: { onRevoked(listener: (apiKeyId: string) => void): () => void; isRevoked(apiKeyId: string): Promise<boolean> };
}
