import { and, asc, eq, gt, lte } from 'drizzle-orm';
import type { Database } from '../db.ts';
import { clusters, watchEvents } from '../schema/index.ts';

/** Watch-log rows read per round trip while catching up. */
export const PAGE = 5_000;

/** One change of the watch log, with the object's JSON text as stored. */
export interface LogRow {
  type: string;
  resourceVersion: number;
  namespace: string;
  name: string;
  body: string;
}

function build(database: Database) {
  return {
    revisions: database.prepare<{ id: string }>((db, bind) =>
      db
        .select({ revision: clusters.resourceVersion, compacted: clusters.compactedRevision })
        .from(clusters)
        .where(eq(clusters.id, bind('id'))),
    ),
    /** A resource's changes in (after, upTo], oldest first: a range of the watch_events_resource index. */
    changes: database.prepare<{ clusterId: string; resource: string; after: number; upTo: number }>((db, bind) =>
      db
        .select({
          type: watchEvents.type,
          resourceVersion: watchEvents.resourceVersion,
          namespace: watchEvents.namespace,
          name: watchEvents.name,
          body: watchEvents.body,
        })
        .from(watchEvents)
        .where(
          and(
            eq(watchEvents.clusterId, bind('clusterId')),
            eq(watchEvents.resource, bind('resource')),
            gt(watchEvents.resourceVersion, bind('after')),
            lte(watchEvents.resourceVersion, bind('upTo')),
          ),
        )
        .orderBy(asc(watchEvents.resourceVersion))
        .limit(PAGE),
    ),
  };
}

const prepared = new WeakMap<Database, ReturnType<typeof build>>();

/** The watch-log reads of the object caches, prepared once per database. */
export function watchLog(database: Database): ReturnType<typeof build> {
  let s = prepared.get(database);
  if (!s) prepared.set(database, (s = build(database)));
  return s;
}
