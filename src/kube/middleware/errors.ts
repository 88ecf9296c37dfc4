import type { ErrorHandler } from 'hono';
import { StoreError } from '../../store/errors.ts';
import { asUnavailable } from '../../lib/unavailable.ts';
import type { KubeDeps } from '../deps.ts';
import { fromStoreError, internalError, KubeError, serviceUnavailable } from '../status.ts';
import { send } from '../handlers/send.ts';
import type { KubeEnv } from './env.ts';

/**
 * The Status any error of a request answers with: the API's own Status errors as they are, a
 * store's refusal as the API server words it, a layer above's refusal (a service's) as the deps
 * translate it, an outage as 503, and anything else as a 500 that names no internals.
 */
export function statusOf(err: unknown, deps: KubeDeps, requestId?: string): KubeError {
  const e = deps.translateError ? deps.translateError(err) : err;
  if (e instanceof KubeError) return e;
  if (e instanceof StoreError) return fromStoreError(e, { plural: e.details.resource ?? '', group: '', kind: '' });
  const unavailable = asUnavailable(e);
  if (unavailable) return serviceUnavailable(unavailable.message, unavailable.retryAfterSeconds);
  deps.logger?.error({ err: e instanceof Error ? e.stack : String(e), requestId }, 'kube api request failed');
  return internalError(requestId);
}

/** The Kubernetes API's one error handler: every error becomes a Status response. */
export function kubeErrorHandler(deps: KubeDeps): ErrorHandler<KubeEnv> {
  return (err, c) => {
    // The service app in front names each request; a pathless request (a new context) keeps the client's id.
    const ke = statusOf(err, deps, c.get('requestId') ?? c.req.header('x-request-id'));
    return send({ status: ke.code, body: ke.status, headers: ke.headers });
  };
}
