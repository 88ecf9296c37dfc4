import type { IVolume } from 'kubernetes-models/v1';
import type { IStorageClass } from 'kubernetes-models/storage.k8s.io/v1';
import { CreateAdmission } from '../controllers/shared/admission.ts';
import type { KubeObject } from '../kube/types.ts';
import { formatQuantity } from '../lib/quantity.ts';
import { defaultClass } from './classes.ts';
import { accessModesContain, claimRefMatches, claimRequestBytes, findBestVolume, volumeBytes, volumeFitsNode } from './matching.ts';
import { csiDriverOf, providerProvisions, provisionedBytes, provisionedVolume, ZONE_LABEL } from './provision.ts';
import { clusterFacts } from '../network/cluster-facts.ts';
import type { StorageState } from './state.ts';

export const SELECTED_NODE = 'volume.kubernetes.io/selected-node';
const NO_PROVISIONER = 'kubernetes.io/no-provisioner';
const CONTROLLER = 'persistentvolume-controller';

/** Binds, provisions, expands and watches over every claim (the claim half of the PV controller). */
export async function syncClaims(s: StorageState): Promise<void> {
  for (const pvc of s.claims) {
    if (pvc.metadata.deletionTimestamp) continue;
    if (pvc.spec?.storageClassName === undefined || pvc.spec?.storageClassName === null) {
      const dflt = defaultClass([...s.classes.values()]);
      // Retroactive default class (1.28+): unset means "the default", once there is one.
      if (dflt) {
        const next = structuredClone(pvc);
        next.spec.storageClassName = dflt.metadata.name;
        await s.write([{ op: 'update', resource: 'persistentvolumeclaims', object: next }]);
        continue;
      }
    }
    if (pvc.spec?.volumeName && pvc.status?.phase === 'Bound') await syncBoundClaim(s, pvc);
    else await bindClaim(s, pvc);
  }
}

async function bindClaim(s: StorageState, pvc: KubeObject): Promise<void> {
  const sc = s.classes.get(pvc.spec?.storageClassName ?? '');
  if (pvc.spec?.volumeName) {
    const pv = s.volumes.find((v) => v.metadata.name === pvc.spec.volumeName);
    if (
      pv &&
      (!pv.spec?.claimRef || claimRefMatches(pv, pvc)) &&
      accessModesContain(pv.spec?.accessModes, pvc.spec?.accessModes) &&
      volumeBytes(pv) >= claimRequestBytes(pvc)
    ) {
      await bind(s, pv, pvc, false);
    } else await pending(s, pvc, 'FailedBinding', 'volume "' + pvc.spec.volumeName + '" not found or not available');
    return;
  }
  const waits = sc?.volumeBindingMode === 'WaitForFirstConsumer';
  const nodeName = pvc.metadata.annotations?.[SELECTED_NODE] ?? (waits ? await consumerNode(s, pvc) : undefined);
  const node = nodeName ? s.nodes.get(nodeName) : undefined;
  const pv = findBestVolume(pvc, s.volumes, waits ? node : undefined);
  if (pv && (!waits || node || claimRefMatches(pv, pvc))) return bind(s, pv, pvc, true);
  if (waits && !node) {
    return pending(s, pvc, 'WaitForFirstConsumer', 'waiting for first consumer to be created before binding', 'Normal');
  }
  const className = pvc.spec?.storageClassName ?? '';
  if (!className) return pending(s, pvc, 'FailedBinding', 'no persistent volumes available for this claim and no storage class is set', 'Normal');
  if (!sc) return pending(s, pvc, 'ProvisioningFailed', `storageclass.storage.k8s.io "${className}" not found`);
  if (!sc.provisioner || sc.provisioner === NO_PROVISIONER || pvc.spec?.selector) {
    return pending(s, pvc, 'WaitForPodScheduled', 'waiting for pod to be scheduled', 'Normal');
  }
  const { provider } = await clusterFacts(s.pass.store, s.pass.clusterId);
  if (!providerProvisions(provider, String(sc.provisioner))) return awaitExternalProvisioner(s, pvc, csiDriverOf(String(sc.provisioner)));
  await provision(s, pvc, sc, node);
}

/**
 * No provisioner of this cluster's provider serves the class (gce-pd on EKS): as upstream, the
 * claim is handed to the external provisioner by annotation and stays Pending, told once.
 */
async function awaitExternalProvisioner(s: StorageState, pvc: KubeObject, driver: string): Promise<void> {
  if (pvc.metadata.annotations?.['volume.kubernetes.io/storage-provisioner'] === driver) return;
  const next = structuredClone(pvc);
  next.metadata.annotations = {
    ...next.metadata.annotations,
    'volume.kubernetes.io/storage-provisioner': driver,
    'volume.beta.kubernetes.io/storage-provisioner': driver,
  };
  next.status = { ...(next.status ?? {}), phase: 'Pending' };
  if (!(await s.write([{ op: 'update', resource: 'persistentvolumeclaims', object: next }]))) return;
  await s.pass.event(
    next,
    'Normal',
    'ExternalProvisioning',
    `Waiting for a volume to be created either by the external provisioner '${driver}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`,
    CONTROLLER,
  );
}

/** A pod using this claim was already placed (a scheduler that did not annotate the claim). */
async function consumerNode(s: StorageState, pvc: KubeObject): Promise<string | undefined> {
  const pods = await s.claimPods();
  const user = pods.find(
    (p) =>
      p.spec?.nodeName &&
      p.metadata.namespace === pvc.metadata.namespace &&
      p.spec.volumes.some((v: IVolume) => v.persistentVolumeClaim?.claimName === pvc.metadata.name),
  );
  return user?.spec.nodeName;
}

/** Pending, with the reason told once when the claim first waits (not on every pass). */
async function pending(s: StorageState, pvc: KubeObject, reason: string, message: string, type: 'Normal' | 'Warning' = 'Warning'): Promise<void> {
  if (pvc.status?.phase === 'Pending') return;
  const next = structuredClone(pvc);
  next.status = { ...(next.status ?? {}), phase: 'Pending' };
  if (await s.write([{ op: 'update', resource: 'persistentvolumeclaims', object: next }])) {
    await s.pass.event(next, type, reason, message, CONTROLLER);
  }
}

function boundClaim(pvc: KubeObject, pv: KubeObject, byController: boolean): KubeObject {
  const next = structuredClone(pvc);
  next.spec.volumeName = pv.metadata.name;
  const annotations: Record<string, string> = { ...(next.metadata.annotations ?? {}), 'pv.kubernetes.io/bind-completed': 'yes' };
  if (byController) annotations['pv.kubernetes.io/bound-by-controller'] = 'yes';
  next.metadata.annotations = annotations;
  next.status = { phase: 'Bound', accessModes: pv.spec.accessModes, capacity: { storage: pv.spec.capacity.storage } };
  return next;
}

function claimedVolume(pv: KubeObject, pvc: KubeObject): KubeObject {
  const next = structuredClone(pv);
  if (!claimRefMatches(pv, pvc) || !pv.spec.claimRef.uid) {
    next.metadata.annotations = { ...(next.metadata.annotations ?? {}), 'pv.kubernetes.io/bound-by-controller': 'yes' };
  }
  next.spec.claimRef = {
    kind: 'PersistentVolumeClaim',
    namespace: pvc.metadata.namespace,
    name: pvc.metadata.name,
    uid: pvc.metadata.uid,
    apiVersion: 'v1',
    resourceVersion: pvc.metadata.resourceVersion,
  };
  next.status = { ...(next.status ?? {}), phase: 'Bound' };
  return next;
}

async function bind(s: StorageState, pv: KubeObject, pvc: KubeObject, byController: boolean): Promise<void> {
  const volume = claimedVolume(pv, pvc);
  const claim = boundClaim(pvc, volume, byController);
  await s.write([
    { op: 'update', resource: 'persistentvolumes', object: volume },
    { op: 'update', resource: 'persistentvolumeclaims', object: claim },
  ]);
}

/** Dynamic provisioning: a new disk in the selected node's zone (or the busiest zone), bound at once. */
async function provision(s: StorageState, pvc: KubeObject, sc: KubeObject, node: KubeObject | undefined): Promise<void> {
  const provisioner = sc.provisioner as string;
  const zone = node?.metadata.labels?.[ZONE_LABEL] ?? immediateZone(s, sc);
  const pv = provisionedVolume(pvc, sc, zone, s.pass.clusterId);
  if (node && !volumeFitsNode(pv, node)) return;
  const claim = boundClaim(pvc, pv, true);
  claim.metadata.annotations = {
    ...claim.metadata.annotations,
    'volume.kubernetes.io/storage-provisioner': provisioner,
    'volume.beta.kubernetes.io/storage-provisioner': provisioner,
  };
  const ns = pvc.metadata.namespace ?? 'default';
  const by = `${provisioner}_${provisioner.split('.')[0]}-csi-controller`;
  // The provisioner creates the PV through the API: defaults and validation apply as to a client's.
  const admission = new CreateAdmission(s.pass.store, s.pass.clusterId);
  const refused = await admission.admit('persistentvolumes', pv);
  if (refused) {
    await s.pass.event(pvc, 'Warning', 'ProvisioningFailed', `failed to provision volume with StorageClass "${sc.metadata.name}": ${refused}`, by);
    return;
  }
  // Billing opens with the PV's creation (the store's metering hook sees the provisioner's annotation).
  const ok = await s.write([...(await admission.createOps([pv])), { op: 'update', resource: 'persistentvolumeclaims', object: claim }]);
  if (!ok) return;
  await s.pass.event(
    claim,
    'Normal',
    'ExternalProvisioning',
    `Waiting for a volume to be created either by the external provisioner '${provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`,
    CONTROLLER,
  );
  await s.pass.event(claim, 'Normal', 'Provisioning', `External provisioner is provisioning volume for claim "${ns}/${pvc.metadata.name}"`, by);
  await s.pass.event(claim, 'Normal', 'ProvisioningSucceeded', `Successfully provisioned volume ${pv.metadata.name}`, by);
}

/** Immediate binding knows no consumer: the class's allowed zone, else the zone with the most nodes. */
function immediateZone(s: StorageState, sc: KubeObject): string | undefined {
  const allowed = ((sc.allowedTopologies as IStorageClass['allowedTopologies']) ?? []).flatMap((t) =>
    (t.matchLabelExpressions ?? []).filter((e) => e.key === ZONE_LABEL).flatMap((e) => e.values ?? []),
  );
  if (allowed.length) return allowed[0];
  const counts = new Map<string, number>();
  for (const n of s.nodes.values()) {
    const z = n.metadata.labels?.[ZONE_LABEL];
    if (z) counts.set(z, (counts.get(z) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
}

/** A bound claim: its volume vanished (Lost), or it asks for more space (expansion). */
async function syncBoundClaim(s: StorageState, pvc: KubeObject): Promise<void> {
  const pv = s.volumes.find((v) => v.metadata.name === pvc.spec.volumeName);
  if (!pv || (pv.spec?.claimRef?.uid && pv.spec.claimRef.uid !== pvc.metadata.uid)) {
    const next = structuredClone(pvc);
    next.status = { ...(next.status ?? {}), phase: 'Lost' };
    if (await s.write([{ op: 'update', resource: 'persistentvolumeclaims', object: next }])) {
      await s.pass.event(next, 'Warning', 'ClaimLost', 'Bound claim has lost its PersistentVolume. Data on the volume is lost!', CONTROLLER);
    }
    return;
  }
  const sc = s.classes.get(pvc.spec?.storageClassName ?? '');
  if (claimRequestBytes(pvc) <= volumeBytes(pv) || !sc?.allowVolumeExpansion) return;
  const size = formatQuantity(provisionedBytes(pvc), 'BinarySI');
  const volume = structuredClone(pv);
  volume.spec.capacity = { ...volume.spec.capacity, storage: size };
  const claim = structuredClone(pvc);
  claim.status = { ...claim.status, capacity: { storage: size } };
  if (
    await s.write([
      { op: 'update', resource: 'persistentvolumes', object: volume },
      { op: 'update', resource: 'persistentvolumeclaims', object: claim },
    ])
  ) {
    await s.pass.event(
      claim,
      'Normal',
      'VolumeResizeSuccessful',
      `resize volume "${pv.metadata.name}" by resizer "${sc.provisioner}" finished successfully`,
      'external-resizer',
    );
  }
}
