import type { ChangeFeed } from '../../kube/watch/feed.ts';
import type { WatchEvent } from '../../kube/types.ts';
import type { Logger } from '../../lib/logger.ts';
import type { ObjectStore } from '../../store/objects.ts';
import { StoreError } from '../../store/errors.ts';

export interface PollingFeedOptions {
  /** Real ms between reads of the watch log while nothing new arrives. */
  intervalMs: number;
  /** Events read per poll; a full page is followed by another read at once. */
  pageSize?: number;
  /**
   * How many revisions before the cluster's current one a new subscription starts reading. Watches
   * drop what they already sent, so starting early costs a few rows and covers a commit that lands
   * between this read and the watch's own replay read.
   */
  overlapRevisions?: number;
  log?: Logger;
}

/**
 * Live watch events on Workers, read from the watch log in D1. Commits happen in whichever isolate
 * ran the request or the queue message, and isolates share no memory or pub/sub, so each watch polls
 * `watch_events` after the last revision it has seen (an indexed range read), from its own request's
 * context: workerd forbids I/O started for one request from being continued by another, which rules
 * out one poller shared by the watches of an isolate. A Durable Object per cluster would push events
 * instead, but every commit would then pay a call to it; polling keeps commits as they are and costs
 * one small read per open watch and interval.
 */
export function pollingChangeFeed(store: ObjectStore, opts: PollingFeedOptions): ChangeFeed {
  const pageSize = opts.pageSize ?? 500;
  const overlap = opts.overlapRevisions ?? 50;
  return {
    subscribe(clusterId, listener) {
      let stopped = false;
      let timer: ReturnType<typeof setTimeout> | undefined;
      // Started now, before the watch replays, so the cursor is never past what the replay reads.
      let cursor: Promise<number> = store.currentRevision(clusterId).then(
        (rv) => Math.max(0, rv - overlap),
        () => 0,
      );
      const schedule = (ms: number) => {
        if (!stopped) timer = setTimeout(() => void poll(), ms);
      };
      const poll = async () => {
        if (stopped) return;
        let from = await cursor;
        let events: WatchEvent[];
        try {
          events = await store.eventsSince(clusterId, from, undefined, pageSize);
        } catch (err) {
          if (err instanceof StoreError && err.reason === 'Gone') {
            // The log was compacted past this cursor: the watch can no longer be complete, so it stops
            // receiving; the client's next watch from its resourceVersion gets 410 and re-lists.
            opts.log?.warn({ clusterId, from }, 'watch fell behind compaction; no more live events');
            stopped = true;
            return;
          }
          opts.log?.warn({ clusterId, err: String(err) }, 'watch poll failed; retrying');
          schedule(opts.intervalMs);
          return;
        }
        if (events.length) {
          from = events[events.length - 1].resourceVersion;
          cursor = Promise.resolve(from);
          try {
            listener(events);
          } catch {
            // A broken watcher must not stop its own polling loop from being cleaned up later.
          }
        }
        schedule(events.length === pageSize ? 0 : opts.intervalMs);
      };
      schedule(0);
      return () => {
        stopped = true;
        if (timer) clearTimeout(timer);
      };
    },
  };
}
