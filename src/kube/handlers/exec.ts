import type { Context } from 'hono';
import type { Container, ContainerStatus } from '../objects.ts';
import { badRequest, failure } from '../status.ts';
import { negotiateProtocol, SUPPORTED_PROTOCOLS } from '../exec/channels.ts';
import { containerView } from '../exec/pod-view.ts';
import { runSession } from '../exec/session.ts';
import { basename, isInteractiveShell } from '../exec/shell.ts';
import { loadObject } from './read.ts';
import { generatedLog, pickContainer, presentLog } from './pod-log.ts';
import type { KubeRequest } from './context.ts';
import { ANNOTATION } from '../behavior-annotations.ts';
import { StoreError } from '../../store/errors.ts';

/** What to use instead, where a verb needs a process that a simulated pod does not have. */
export const SIMULATED = {
  portForward:
    'kubectl port-forward is not available: pods in kates are simulated and no process listens on their ports. ' +
    'Check what a client would reach with kubectl get endpoints (or kubectl describe service), and the container itself with kubectl logs and kubectl exec POD -- env, cat or ls',
  copy:
    'kubectl cp is not available: pods in kates are simulated and have no file system to copy to or from. ' +
    'Put files in a ConfigMap or Secret (kubectl create configmap NAME --from-file=PATH), mount it, and read them with kubectl exec POD -- cat PATH',
  debug:
    'kubectl debug cannot add an ephemeral container: pods in kates are simulated and run no processes to debug. ' +
    'Inspect the container with kubectl exec POD -- env, cat or ls, kubectl logs and kubectl describe pod',
};

const bool = (q: URLSearchParams, k: string) => q.get(k) === 'true' || q.get(k) === '1';

/** The command line a container runs: its command and args, or the image's shell for the common base images. */
function containerCommand(container: Container | undefined): string[] {
  const line = [...(container?.command ?? []), ...(container?.args ?? [])].map(String);
  if (line.length) return line;
  return [/ubuntu|debian|fedora|centos|bash/.test(String(container?.image ?? '')) ? 'bash' : 'sh'];
}

/**
 * Ends the container's main process now with `code`, through the behaviour annotations the
 * simulated kubelet follows (`kates.dev/run-seconds.<container>`, `kates.dev/exit-code.<container>`).
 */
async function endMainProcess(req: KubeRequest, ns: string, name: string, containerName: string, code: number): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const pod = await req.deps.store.get(req.clusterId, 'pods', ns, name);
    const started = pod?.status?.containerStatuses?.find((s: ContainerStatus) => s.name === containerName)?.state?.running?.startedAt;
    if (!pod || !started || pod.metadata.deletionTimestamp) return;
    const ranMs = Math.max(0, (await req.deps.store.clusterNow(req.clusterId)) - Date.parse(started));
    const next = structuredClone(pod);
    next.metadata.annotations = {
      ...next.metadata.annotations,
      [`${ANNOTATION.runSeconds}.${containerName}`]: String(Math.ceil(ranMs / 1000)),
      [`${ANNOTATION.exitCode}.${containerName}`]: String(code),
    };
    try {
      await req.deps.store.update(req.clusterId, 'pods', next);
      return;
    } catch (err) {
      if (!(err instanceof StoreError && err.reason === 'Conflict')) throw err;
    }
  }
}

/**
 * `pods/exec`, `pods/attach` and `pods/portforward`: exec and attach speak kubectl's WebSocket
 * protocol against the simulated shell; port-forward and `kubectl cp` (exec of `tar`) answer a
 * Status saying plainly that pods are simulated and what to use instead.
 */
export async function handlePodStream(c: Context, req: KubeRequest, kind: 'exec' | 'attach' | 'portforward'): Promise<Response> {
  if (kind === 'portforward') throw badRequest(SIMULATED.portForward);
  const q = req.query;
  const argvAsked = q.getAll('command');
  if (kind === 'exec' && argvAsked.length === 0) throw badRequest('you must specify at least 1 command');
  if (kind === 'exec' && basename(argvAsked[0]) === 'tar') throw badRequest(SIMULATED.copy);
  const pod = await loadObject(req, req.name!);
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') throw badRequest(`cannot ${kind} into a container in a completed pod; current phase is ${phase}`);
  const containerName = pickContainer(pod, q.get('container'));
  const status = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])].find(
    (s: ContainerStatus) => s.name === containerName,
  );
  if (!status?.state?.running)
    throw badRequest(
      `container "${containerName}" in pod "${pod.metadata.name}" is not running: ${status?.state?.waiting?.reason ?? (status?.state?.terminated ? 'Terminated' : 'ContainerCreating')}`,
    );

  if ((c.req.header('upgrade') ?? '').toLowerCase() !== 'websocket') {
    throw badRequest(
      `${kind} streams over WebSocket (${SUPPORTED_PROTOCOLS.join(', ')}) on this server, not SPDY: use kubectl 1.30 or newer, or a client that speaks the WebSocket protocol`,
    );
  }
  const protocol = negotiateProtocol(c.req.header('sec-websocket-protocol'));
  if (!protocol) throw badRequest(`none of the offered streaming protocols is supported; this server speaks ${SUPPORTED_PROTOCOLS.join(', ')}`);
  if (!req.deps.acceptWebSocket) throw failure(501, 'NotImplemented', `this deployment of kates cannot upgrade connections for ${kind}`);

  const container: Container | undefined = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find(
    (x: Container) => x.name === containerName,
  );
  const argv = kind === 'exec' ? argvAsked : containerCommand(container);
  const stdin = bool(q, 'stdin') && (kind === 'exec' || container?.stdin === true);
  // Attaching to a process that reads no terminal shows what it printed so far.
  const ns = pod.metadata.namespace ?? 'default';
  const output =
    kind === 'attach' && !(stdin && isInteractiveShell(argv))
      ? presentLog(await (req.deps.podLogs ? req.deps.podLogs(req.clusterId, ns, pod.metadata.name!, containerName) : generatedLog(pod, containerName)), false)
      : undefined;
  const view = await containerView(req.deps.store, req.clusterId, pod, containerName);
  // The attached shell is the container's own process: when it ends (`exit`, or the end of a stdinOnce
  // stdin), so does the container, as `kubectl run --rm -it` expects before it deletes the pod.
  const onShellExit =
    kind === 'attach'
      ? (code: number, how: 'exit' | 'eof') => {
          if (how === 'eof' && container?.stdinOnce !== true) return;
          endMainProcess(req, ns, pod.metadata.name!, containerName, code).catch((err) =>
            req.deps.logger?.warn({ err: (err as Error).message }, 'could not end the attached container'),
          );
        }
      : undefined;
  const accepted = req.deps.acceptWebSocket(c, protocol, (socket) =>
    runSession(socket, { argv, stdin, stderr: bool(q, 'stderr'), tty: bool(q, 'tty'), protocol, view, workingDir: container?.workingDir, output, onShellExit }),
  );
  if (!accepted) throw failure(501, 'NotImplemented', `this deployment of kates cannot upgrade connections for ${kind}`);
  return accepted;
}
