import type { Container, ContainerStatus, Pod } from '../objects.ts';
import { badRequest } from '../status.ts';
import { loadObject } from './read.ts';
import type { KubeRequest } from './context.ts';

export function pickContainer(pod: Pod, wanted: string | null): string {
  const names: string[] = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].map((c) => c.name);
  if (!wanted) {
    const main = (pod.spec?.containers ?? []).map((c) => c.name);
    const defaulted = pod.metadata.annotations?.['kubectl.kubernetes.io/default-container'];
    if (defaulted && main.includes(defaulted)) return defaulted;
    if (main.length === 1) return main[0];
    throw badRequest(`a container name must be specified for pod ${pod.metadata.name}, choose one of: [${main.join(' ')}]`);
  }
  if (!names.includes(wanted)) throw badRequest(`container ${wanted} is not valid for pod ${pod.metadata.name}`);
  return wanted;
}

function startedOrWaiting(pod: Pod, container: string, previous: boolean): void {
  const statuses: ContainerStatus[] = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  const s = statuses.find((x) => x.name === container);
  // The kubelet's validateContainerLogStatus: -p needs an instance that has already ended.
  if (previous) {
    if (s?.lastState?.terminated) return;
    throw badRequest(`previous terminated container "${container}" in pod "${pod.metadata.name}" not found`);
  }
  if (s && (s.state?.running || s.state?.terminated || s.lastState?.terminated)) return;
  const reason = s?.state?.waiting?.reason ?? 'ContainerCreating';
  throw badRequest(`container "${container}" in pod "${pod.metadata.name}" is waiting to start: ${reason}`);
}

/** A few kubelet-style lines when the simulation provides no log of its own. */
export function generatedLog(pod: Pod, container: string): string {
  const c: Container | undefined = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find((x) => x.name === container);
  const started =
    [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])].find((x) => x.name === container)?.state?.running?.startedAt ??
    pod.status?.startTime ??
    pod.metadata.creationTimestamp;
  return (
    [
      `${started} container ${container} started from image ${c?.image ?? 'unknown'}`,
      `${started} pod ${pod.metadata.namespace}/${pod.metadata.name} on node ${pod.spec?.nodeName ?? '<none>'}`,
    ].join('\n') + '\n'
  );
}

function trim(text: string, q: URLSearchParams): string {
  let out = text;
  const tail = q.get('tailLines');
  if (tail !== null && Number(tail) >= 0) {
    const lines = out.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    out = lines.slice(Math.max(0, lines.length - Number(tail))).join('\n') + (lines.length && Number(tail) > 0 ? '\n' : '');
  }
  const limit = q.get('limitBytes');
  if (limit !== null && Number(limit) > 0) out = out.slice(0, Number(limit));
  return out;
}

/** A log line as the runtime records it: an RFC 3339 timestamp, one space, the text. */
const STAMPED_LINE = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?Z (.*)$/;

/**
 * The kubelet shows the runtime's timestamps only when asked (`kubectl logs --timestamps`), then in
 * RFC 3339 with nanoseconds; otherwise each line is the container's text alone.
 */
export function presentLog(text: string, timestamps: boolean): string {
  return text
    .split('\n')
    .map((line) => {
      const m = STAMPED_LINE.exec(line);
      if (!m) return line;
      return timestamps ? `${m[1]}.${(m[2] ?? '').padEnd(9, '0').slice(0, 9)}Z ${m[3]}` : m[3];
    })
    .join('\n');
}

const FOLLOW_POLL_MS = 2000;

/** `kubectl logs`: text/plain, optionally followed (new text is polled and appended until the pod goes). */
export async function handlePodLog(req: KubeRequest): Promise<Response> {
  const pod = await loadObject(req, req.name!);
  const container = pickContainer(pod, req.query.get('container'));
  const previous = req.query.get('previous') === 'true';
  startedOrWaiting(pod, container, previous);
  const ns = pod.metadata.namespace ?? '';
  const timestamps = req.query.get('timestamps') === 'true';
  const read = async () =>
    presentLog(
      await (req.deps.podLogs ? req.deps.podLogs(req.clusterId, ns, pod.metadata.name!, container, previous) : generatedLog(pod, container)),
      timestamps,
    );
  const first = trim(await read(), req.query);
  const headers = { 'content-type': 'text/plain', 'cache-control': 'no-cache, private' };
  if (req.query.get('follow') !== 'true') return new Response(first, { status: 200, headers });
  const encoder = new TextEncoder();
  let sent = (await read()).length;
  let timer: ReturnType<typeof setInterval> | undefined;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(first));
      timer = setInterval(async () => {
        try {
          const still = await req.deps.store.get(req.clusterId, 'pods', ns, pod.metadata.name!);
          if (!still || still.metadata.uid !== pod.metadata.uid) {
            clearInterval(timer);
            controller.close();
            return;
          }
          const text = await read();
          if (text.length > sent) controller.enqueue(encoder.encode(text.slice(sent)));
          sent = text.length;
        } catch {
          clearInterval(timer);
          try {
            controller.close();
          } catch {
            /* already closed */
          }
        }
      }, FOLLOW_POLL_MS);
      req.raw.signal?.addEventListener('abort', () => clearInterval(timer), { once: true });
    },
    cancel() {
      clearInterval(timer);
    },
  });
  return new Response(stream, { status: 200, headers });
}
