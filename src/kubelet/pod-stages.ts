import type { Node } from '../kube/objects.ts';
import { isoTime } from '../lib/clock.ts';
import { conditionStatus, setCondition } from './pod-status.ts';
import { qosClass } from './qos.ts';
import { unmountableVolumes } from './references.ts';
import { msOf } from './sim.ts';
import { deleting, isTerminal, S, terminate, type PodStage } from './stage-kit.ts';

/** First sight of a bound pod: the kubelet admits it and reports its host. */
export const admit: PodStage = {
  name: 'admit',
  due: (sim, cursor) => (sim.pod.status.startTime || deleting(sim) ? undefined : cursor),
  apply(sim, at) {
    const st = sim.pod.status;
    const hostIP = nodeInternalIP(sim.env.node);
    st.phase ??= 'Pending';
    st.hostIP = hostIP;
    st.hostIPs = [{ ip: hostIP }];
    st.startTime = isoTime(at);
    st.qosClass ??= qosClass(sim.pod);
    if (conditionStatus(st, 'PodScheduled') !== 'True') setCondition(st, 'PodScheduled', 'True', at);
    setCondition(st, 'PodReadyToStartContainers', 'False', at);
  },
};

/** Volumes that cannot be mounted keep the pod in ContainerCreating, with one FailedMount event per new cause. */
export const waitForMounts: PodStage = {
  name: 'wait-for-mounts',
  due(sim, cursor) {
    if (!sim.pod.status.startTime || sim.pod.status.podIP || deleting(sim)) return undefined;
    const problems = unmountableVolumes(sim.pod, sim.env);
    return problems.length && problems[0].message !== sim.book.mount ? cursor : undefined;
  },
  apply(sim) {
    const [first] = unmountableVolumes(sim.pod, sim.env);
    sim.book.mount = first.message;
    sim.events.push({ type: 'Warning', reason: 'FailedMount', message: first.message });
  },
};

/** Volumes mounted: the sandbox gets its IP and containers may start (first init container, or all). */
export const sandbox: PodStage = {
  name: 'create-sandbox',
  due(sim, cursor) {
    if (!sim.pod.status.startTime || sim.pod.status.podIP || deleting(sim)) return undefined;
    if (unmountableVolumes(sim.pod, sim.env).length) return undefined;
    return sim.book.mount ? sim.now : cursor; // a volume it waited for became available
  },
  apply(sim, at) {
    const st = sim.pod.status;
    const ip = sim.pod.spec?.hostNetwork ? st.hostIP : sim.env.allocatePodIP();
    st.podIP = ip;
    st.podIPs = [{ ip: ip! }]; // a bound pod has its hostIP
    delete sim.book.mount;
    setCondition(st, 'PodReadyToStartContainers', 'True', at);
  },
};

/** `activeDeadlineSeconds` passed: the kubelet kills the pod and fails it. */
export const deadline: PodStage = {
  name: 'active-deadline',
  due(sim) {
    const ads = sim.pod.spec?.activeDeadlineSeconds;
    const start = msOf(sim.pod.status.startTime);
    if (typeof ads !== 'number' || start === undefined || isTerminal(sim) || deleting(sim)) return undefined;
    return start + ads * S;
  },
  apply(sim, at) {
    const message = 'Pod was active on the node longer than the specified deadline';
    for (const c of sim.containers) if (c.status.state?.running) terminate(c, at, 137, 'Error');
    Object.assign(sim.pod.status, { phase: 'Failed', reason: 'DeadlineExceeded', message });
    sim.events.push({ type: 'Warning', reason: 'DeadlineExceeded', message });
  },
};

/** A pod being deleted: its containers get SIGTERM (Killing events)... */
export const stopContainers: PodStage = {
  name: 'stop-containers',
  due: (sim, cursor) => (deleting(sim) && !sim.book.killing ? cursor : undefined),
  apply(sim) {
    sim.book.killing = true;
    for (const c of sim.containers) {
      if (c.status.state?.running) sim.events.push({ container: c.name, type: 'Normal', reason: 'Killing', message: `Stopping container ${c.name}` });
    }
  },
};

/** ...and once they stopped (within the grace period) the kubelet removes the pod for good. */
export const finishDeletion: PodStage = {
  name: 'finish-deletion',
  due(sim) {
    const ts = msOf(sim.pod.metadata.deletionTimestamp);
    if (ts === undefined || (isTerminal(sim) && sim.pod.metadata.deletionGracePeriodSeconds === 0)) return undefined;
    const grace = (sim.pod.metadata.deletionGracePeriodSeconds ?? 0) * S;
    const began = ts - grace;
    const anyRunning = sim.containers.some((c) => c.status.state?.running);
    const stop = anyRunning ? Math.max(...sim.containers.map((c) => c.behavior.stopSeconds)) * S : 0;
    return Math.min(began + stop, ts);
  },
  apply(sim, at) {
    if ((sim.pod.metadata.finalizers ?? []).length === 0) {
      sim.remove = true;
      return;
    }
    // Finalizers keep the object: report it terminal, with grace 0 so the last finalizer removal deletes it.
    for (const c of sim.containers) if (c.status.state?.running) terminate(c, at, 143, 'Error');
    if (!isTerminal(sim)) sim.pod.status.phase = 'Failed';
    sim.pod.metadata.deletionGracePeriodSeconds = 0;
  },
};

export function nodeInternalIP(node: Node | undefined): string {
  return node?.status?.addresses?.find((a) => a.type === 'InternalIP')?.address ?? '10.0.0.1';
}
