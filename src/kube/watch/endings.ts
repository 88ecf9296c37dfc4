import type { KubeRequest } from '../handlers/context.ts';

/** How often a watch re-checks its key where revocations are not pushed (Workers isolates). */
const KEY_RECHECK_MS = 1_000;

/**
 * Arms what ends an open watch besides the client: its timeout, the request's abort, and the
 * revocation of the API key its token was minted with (at once when this process is told, over
 * Redis pub/sub on Node; else at the next re-check, which reads the revocation log when stale).
 * What disarms them goes into `cleanups` before anything can call `close`, which runs them.
 */
export function armEndings(req: KubeRequest, timeoutMs: number, close: () => void, cleanups: Array<() => void>): void {
  const timeout = setTimeout(close, timeoutMs);
  cleanups.push(() => clearTimeout(timeout));
  const apiKeyId = req.principal.apiKeyId;
  const revoked = req.deps.revokedKeys;
  if (apiKeyId && revoked) {
    cleanups.push(revoked.onRevoked((id) => id === apiKeyId && close()));
    const recheck = setInterval(
      () =>
        void revoked.isRevoked(apiKeyId).then(
          (r) => r && close(),
          () => undefined,
        ),
      KEY_RECHECK_MS,
    );
    cleanups.push(() => clearInterval(recheck));
  }
  const signal = req.raw.signal;
  if (signal) {
    if (signal.aborted) close();
    else signal.addEventListener('abort', close, { once: true });
  }
}
