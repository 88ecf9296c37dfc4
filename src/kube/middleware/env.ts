import type { ClusterPrincipal } from '../../auth/principal.ts';
import type { ClusterInfo } from '../deps.ts';

/** Hono context variables of a cluster's Kubernetes API, set by its middleware in order. */
export interface KubeEnv {
  Variables: {
    /** Who the request runs as: the token's principal, or the user it impersonates. */
    caller: ClusterPrincipal;
    /** The cluster the path names, looked up once the token has been checked. */
    cluster: ClusterInfo;
    /** Set by the service app in front (src/app.ts) when it mounts this one; quoted in 500s. */
    requestId?: string;
  };
}
