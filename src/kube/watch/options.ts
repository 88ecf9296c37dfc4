import { badRequest } from '../status.ts';
import type { KubeRequest } from '../handlers/context.ts';

const DEFAULT_BOOKMARK_MS = 60_000;
const DEFAULT_MIN_TIMEOUT_S = 1800;

/** What a watch request asks for, read from its query once. */
export interface WatchOptions {
  /** allowWatchBookmarks: a BOOKMARK with the latest revision every `bookmarkIntervalMs`. */
  bookmarks: boolean;
  bookmarkIntervalMs: number;
  /** sendInitialEvents: the current state first, ended by a bookmark when bookmarks are on. */
  initialEvents: boolean;
  /** Start from the current state as ADDED events (no resourceVersion, "0", or sendInitialEvents)... */
  fromList: boolean;
  /** ...else from the watch log after this revision. */
  fromRv: number;
  timeoutMs: number;
}

export function watchOptions(req: KubeRequest): WatchOptions {
  const q = req.query;
  const initialEvents = q.get('sendInitialEvents') === 'true';
  const rv = q.get('resourceVersion') ?? '';
  const fromList = rv === '' || rv === '0' || initialEvents;
  const fromRv = fromList ? 0 : Number(rv);
  if (!Number.isInteger(fromRv) || fromRv < 0) throw badRequest(`resourceVersion: Invalid value: "${rv}": must be a non-negative integer`);
  return {
    bookmarks: q.get('allowWatchBookmarks') === 'true',
    bookmarkIntervalMs: req.deps.watch?.bookmarkIntervalMs ?? DEFAULT_BOOKMARK_MS,
    initialEvents,
    fromList,
    fromRv,
    timeoutMs: timeoutMs(req),
  };
}

function timeoutMs(req: KubeRequest): number {
  const t = req.query.get('timeoutSeconds');
  if (t !== null && Number.isFinite(Number(t)) && Number(t) > 0) return Number(t) * 1000;
  // Like the API server's --min-request-timeout: spread long watches over [min, 2·min).
  const min = req.deps.watch?.minTimeoutSeconds ?? DEFAULT_MIN_TIMEOUT_S;
  return (min + Math.random() * min) * 1000;
}
