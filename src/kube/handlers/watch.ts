import { TABLE_CONTENT_TYPE } from '../objects/encode.ts';
import { parseListQuery } from './list-options.ts';
import type { KubeRequest } from './context.ts';
import type { KubeObject } from '../types.ts';
import { watchOptions } from '../watch/options.ts';
import { EventFilter } from '../watch/filter.ts';
import { EventEncoder } from '../watch/encoder.ts';
import { WatchSession } from '../watch/session.ts';

/**
 * A watch (`?watch=true`, or the legacy `/watch/` path): the current state as ADDED events (no
 * resourceVersion, "0", or sendInitialEvents) or the watch log after the given resourceVersion,
 * then live events, one JSON event per line (src/kube/watch/session.ts).
 */
export async function handleWatch(req: KubeRequest): Promise<Response> {
  const q = parseListQuery(req.def, req.query);
  const opts = watchOptions(req);
  const { namespace: ns, name } = req;
  const matches = (o: KubeObject) => (!ns || o.metadata.namespace === ns) && (!name || o.metadata.name === name) && (!q.filter || q.filter(o));
  const encoder = await EventEncoder.of(req);
  const session = new WatchSession(req, opts, new EventFilter(req.storageDef.storage, matches, opts.fromList), encoder);
  await session.replay();
  return new Response(session.stream(), {
    status: 200,
    headers: { 'content-type': encoder.asTable ? TABLE_CONTENT_TYPE : 'application/json', 'cache-control': 'no-cache, private' },
  });
}
