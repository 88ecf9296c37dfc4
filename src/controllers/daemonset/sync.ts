import type { KubeObject } from '../../kube/types.ts';
import { asKind, type ControllerRevision, type DaemonSet, type Node, type Pod } from '../../kube/objects.ts';
import { requestDeletion } from '../../kube/deletion.ts';
import type { CreateAdmission } from '../shared/admission.ts';
import { canonicalJson } from '../shared/canonical.ts';
import { generateName } from '../shared/names.ts';
import { planClaims, withControllerRef, withoutOwnerRef } from '../shared/owners.ts';
import type { Pass } from '../shared/pass.ts';
import { podFromTemplate } from '../shared/pod-factory.ts';
import { podAvailableAt } from '../shared/pod-state.ts';
import { selectorMatches } from '../shared/selector.ts';
import { createInSlowStartBatches } from '../shared/slow-start.ts';
import { DS_HASH_LABEL, cleanupHistory, constructHistory } from './history.ts';
import { daemonPodTolerations, pinToNode, targetNodeOf } from './placement.ts';
import { planDaemonPods, planRollingUpdate } from './plan.ts';
import { daemonSetStatus } from './status.ts';

export interface DaemonSetInputs {
  nodes: Node[];
  podsIn(ns: string): Pod[];
  revisionsIn(ns: string): ControllerRevision[];
  admission: CreateAdmission;
}

/**
 * One DaemonSet (daemon_controller.go syncDaemonSet): claim pods and revisions, place or remove
 * pods node by node, take a rolling-update step when placement changed nothing, write status.
 */
export async function syncDaemonSet(pass: Pass, ds: DaemonSet, inputs: DaemonSetInputs): Promise<void> {
  if (ds.metadata.deletionTimestamp) return;
  const ns = ds.metadata.namespace ?? '';
  const selected = (o: KubeObject) => selectorMatches(ds.spec?.selector, o.metadata.labels);
  const pods = await claim(pass, ds, 'pods', inputs.podsIn(ns), selected);
  const revisions = await claim(pass, ds, 'controllerrevisions.apps', inputs.revisionsIn(ns), selected);
  const history = await constructHistory(pass, ds, revisions, inputs.admission);
  if (!history) return;
  const live = new Map(pods.map((p) => [p.metadata.uid!, p]));
  const nodeToPods = () => groupByNode([...live.values()]);

  const plan = planDaemonPods(ds, inputs.nodes, nodeToPods(), history.hash, pass.nowMs);
  for (const { pod, node } of plan.failed) {
    await pass.event(
      ds,
      'Warning',
      'FailedDaemonPod',
      `Found failed daemon pod ${pod.metadata.namespace}/${pod.metadata.name} on node ${node}, will try to kill it`,
    );
  }
  let changed = await syncNodes(pass, ds, live, plan.deletePods, plan.createOn, history.hash, inputs.admission);
  const rolling = (ds.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
  if (!changed && rolling) {
    const step = planRollingUpdate(ds, inputs.nodes, nodeToPods(), history.hash, pass.nowMs);
    changed = await syncNodes(pass, ds, live, step.deletePods, step.createOn, history.hash, inputs.admission);
  }
  await cleanupHistory(pass, ds, [...live.values()], history);
  for (const pod of live.values()) {
    const at = podAvailableAt(pod, ds.spec?.minReadySeconds ?? 0, pass.nowMs);
    if (at !== undefined) pass.wakeAt(at);
  }
  const status = daemonSetStatus(ds, inputs.nodes, nodeToPods(), history.hash, pass.nowMs);
  if (canonicalJson(ds.status ?? {}) !== canonicalJson(status)) {
    await pass.attempt(() => pass.store.update(pass.clusterId, 'daemonsets.apps', { ...ds, status }));
  }
}

/** Deletes and creates daemon pods, keeping `live` current. Returns whether anything was written. */
async function syncNodes(
  pass: Pass,
  ds: DaemonSet,
  live: Map<string, Pod>,
  toDelete: Pod[],
  createOn: string[],
  hash: string,
  admission: CreateAdmission,
): Promise<boolean> {
  let wrote = false;
  for (const pod of toDelete.slice(0, pass.budgetLeft)) {
    const result = await pass.attempt(() =>
      requestDeletion(pass.store, pass.clusterId, 'pods', pod.metadata.namespace ?? '', pod.metadata.name!, { preconditions: { uid: pod.metadata.uid } }),
    );
    if (!result) continue;
    wrote = true;
    if (result.deleted) live.delete(pod.metadata.uid!);
    else live.set(pod.metadata.uid!, asKind('pods', result.object));
    await pass.event(ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
  }
  const nodes = createOn.slice(0, pass.budgetLeft);
  if (nodes.length === 0) return wrote;
  const ns = ds.metadata.namespace ?? '';
  const base = `${ds.metadata.name}-`;
  const forbidden = await admission.forbiddenReason('pods', ns, base);
  if (forbidden) {
    await pass.event(ds, 'Warning', 'FailedCreate', `Error creating: ${forbidden}`);
    return wrote;
  }
  const template = ds.spec?.template ?? {};
  const { admitted, error } = await admission.admitPods(
    nodes.map((nodeName) => {
      const pod = podFromTemplate(template, {
        name: generateName(base),
        generateName: base,
        namespace: ns,
        owner: ds,
        labels: { [DS_HASH_LABEL]: hash, 'pod-template-generation': String(ds.metadata.generation ?? 1) },
      });
      pod.spec.tolerations = daemonPodTolerations(pod.spec);
      pinToNode(pod.spec, nodeName);
      return pod;
    }),
  );
  if (error) await pass.event(ds, 'Warning', 'FailedCreate', `Error creating: ${error}`);
  const { created } = await createInSlowStartBatches(pass, admitted, admission);
  for (const pod of created) {
    live.set(pod.metadata.uid!, pod);
    await pass.event(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`);
  }
  return wrote || created.length > 0;
}

function groupByNode(pods: Pod[]): Map<string, Pod[]> {
  const map = new Map<string, Pod[]>();
  for (const pod of pods) {
    const node = targetNodeOf(pod);
    if (!node) continue;
    let list = map.get(node);
    if (!list) map.set(node, (list = []));
    list.push(pod);
  }
  return map;
}

async function claim<T extends KubeObject>(pass: Pass, ds: DaemonSet, resource: string, candidates: T[], selected: (o: KubeObject) => boolean): Promise<T[]> {
  const plan = planClaims(ds, candidates, selected);
  const owned = [...plan.owned];
  for (const obj of plan.adopt) {
    const adopted = await pass.attempt(() => pass.store.update(pass.clusterId, resource, withControllerRef(obj, ds)));
    if (adopted) owned.push(adopted);
  }
  for (const obj of plan.release) await pass.attempt(() => pass.store.update(pass.clusterId, resource, withoutOwnerRef(obj, ds.metadata.uid!)));
  return owned;
}
