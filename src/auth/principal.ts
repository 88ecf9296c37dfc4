/** Who is calling, after authentication. Roles on /v1 are per tenant; on a cluster's Kubernetes API a
 * token is bound to one cluster and may be limited to namespaces. */
export type TenantRole = 'owner' | 'developer' | 'viewer' | 'billing';

export interface TenantPrincipal {
  kind: 'tenant';
  tenantId: string;
  role: TenantRole;
  subject: string;
  /** The API key the token was minted for (absent for an external identity provider's tokens). */
  apiKeyId?: string;
}

export interface AdminPrincipal {
  kind: 'admin';
  subject: string;
  apiKeyId?: string;
}

/** The Kubernetes identity a request runs as (authentication.k8s.io UserInfo). */
export interface KubeUser {
  username: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

/**
 * A cluster token: `cluster-admin` from the kubeconfig, `view`/`edit` limited to namespaces, or a
 * ServiceAccount's bound token (`serviceaccount`, limited to its namespace; RBAC decides the rest).
 */
export interface ClusterPrincipal {
  kind: 'cluster';
  tenantId: string;
  clusterId: string;
  role: 'cluster-admin' | 'edit' | 'view' | 'serviceaccount';
  /** Who RBAC sees: set for ServiceAccount tokens and impersonated requests; derived from `role` otherwise. */
  user?: KubeUser;
  /** Empty means all namespaces (cluster-admin only). */
  namespaces: string[];
  subject: string;
  /** The API key the token was minted with (absent when an external identity provider's token minted it). */
  apiKeyId?: string;
}

export type Principal = TenantPrincipal | AdminPrincipal | ClusterPrincipal;
