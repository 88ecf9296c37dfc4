import { and, asc, eq, gt, sql } from 'drizzle-orm';
import type { Database, PreparedQuery } from './db.ts';
import { clusters, objects, watchEvents } from './schema/index.ts';

interface ObjectKey extends Record<string, unknown> {
  clusterId: string;
  resource: string;
  namespace: string;
  name: string;
}

/**
 * The object store's hot statements, prepared once per database: every commit reads the cluster row
 * and the objects it changes, then writes objects, watch events and the revision compare-and-swap.
 */
export function objectStatements(database: Database) {
  const objectWhere = (bind: (n: keyof ObjectKey & string) => unknown) =>
    and(
      eq(objects.clusterId, bind('clusterId') as string),
      eq(objects.resource, bind('resource') as string),
      eq(objects.namespace, bind('namespace') as string),
      eq(objects.name, bind('name') as string),
    );
  return {
    /** How many objects of one resource a cluster stores (the primary key's prefix: an index range). */
    countObjects: database.prepare<{ clusterId: string; resource: string }>((db, bind) =>
      db
        .select({ n: sql<number>`count(*)` })
        .from(objects)
        .where(and(eq(objects.clusterId, bind('clusterId') as string), eq(objects.resource, bind('resource') as string))),
    ),
    /** A resource's objects in key order, across namespaces or in one: the lists admission and controllers read on every create and pass. */
    listAll: database.prepare<{ clusterId: string; resource: string }>((db, bind) =>
      db
        .select({ namespace: objects.namespace, name: objects.name, resourceVersion: objects.resourceVersion, body: objects.body })
        .from(objects)
        .where(and(eq(objects.clusterId, bind('clusterId') as string), eq(objects.resource, bind('resource') as string)))
        .orderBy(asc(objects.namespace), asc(objects.name)),
    ),
    listInNamespace: database.prepare<{ clusterId: string; resource: string; namespace: string }>((db, bind) =>
      db
        .select({ namespace: objects.namespace, name: objects.name, resourceVersion: objects.resourceVersion, body: objects.body })
        .from(objects)
        .where(
          and(
            eq(objects.clusterId, bind('clusterId') as string),
            eq(objects.resource, bind('resource') as string),
            eq(objects.namespace, bind('namespace') as string),
          ),
        )
        .orderBy(asc(objects.namespace), asc(objects.name)),
    ),
    getBody: database.prepare<ObjectKey>((db, bind) => db.select({ body: objects.body }).from(objects).where(objectWhere(bind))),
    clusterRow: database.prepare<{ id: string }>((db, bind) =>
      db
        .select({
          resourceVersion: clusters.resourceVersion,
          compactedRevision: clusters.compactedRevision,
          timeScale: clusters.timeScale,
          originMs: clusters.clockOriginMs,
          skewMs: clusters.clockSkewMs,
        })
        .from(clusters)
        .where(eq(clusters.id, bind('id'))),
    ),
    insertObject: database.prepare<ObjectKey & { uid: string; resourceVersion: number; body: string }>((db, bind) =>
      db.insert(objects).values({
        clusterId: bind('clusterId'),
        resource: bind('resource'),
        namespace: bind('namespace'),
        name: bind('name'),
        uid: bind('uid'),
        resourceVersion: bind('resourceVersion'),
        body: bind('body'),
      }),
    ),
    updateObject: database.prepare<ObjectKey & { resourceVersion: number; body: string }>((db, bind) =>
      db
        .update(objects)
        .set({ resourceVersion: bind('resourceVersion'), body: bind('body') })
        .where(objectWhere(bind)),
    ),
    deleteObject: database.prepare<ObjectKey>((db, bind) => db.delete(objects).where(objectWhere(bind))),
    insertEvent: database.prepare<ObjectKey & { resourceVersion: number; type: string; body: string }>((db, bind) =>
      db.insert(watchEvents).values({
        clusterId: bind('clusterId'),
        resourceVersion: bind('resourceVersion'),
        resource: bind('resource'),
        namespace: bind('namespace'),
        name: bind('name'),
        type: bind('type'),
        body: bind('body'),
      }),
    ),
    /** Watch events after a revision, oldest first: what every informer-style cache reads before each pass. */
    eventsSince: database.prepare<{ clusterId: string; since: number; limit: number }>((db, bind) =>
      db
        .select({ type: watchEvents.type, resource: watchEvents.resource, resourceVersion: watchEvents.resourceVersion, body: watchEvents.body })
        .from(watchEvents)
        .where(and(eq(watchEvents.clusterId, bind('clusterId') as string), gt(watchEvents.resourceVersion, bind('since') as number)))
        .orderBy(asc(watchEvents.resourceVersion))
        .limit(bind('limit')),
    ),
    /** The same for one resource (by the (cluster, resource, revision) index). */
    resourceEventsSince: database.prepare<{ clusterId: string; resource: string; since: number; limit: number }>((db, bind) =>
      db
        .select({ type: watchEvents.type, resource: watchEvents.resource, resourceVersion: watchEvents.resourceVersion, body: watchEvents.body })
        .from(watchEvents)
        .where(
          and(
            eq(watchEvents.clusterId, bind('clusterId') as string),
            eq(watchEvents.resource, bind('resource') as string),
            gt(watchEvents.resourceVersion, bind('since') as number),
          ),
        )
        .orderBy(asc(watchEvents.resourceVersion))
        .limit(bind('limit')),
    ),
    /** The compare-and-swap that serializes the writers of one cluster. */
    bumpRevision: database.prepare<{ id: string; from: number; to: number }>((db, bind) =>
      db
        .update(clusters)
        .set({ resourceVersion: bind('to') })
        .where(and(eq(clusters.id, bind('id')), eq(clusters.resourceVersion, bind('from')))),
    ),
  } satisfies Record<string, PreparedQuery<never>>;
}

export type ObjectStatements = ReturnType<typeof objectStatements>;
