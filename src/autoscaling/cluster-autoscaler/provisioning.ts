import type { KubeObject } from '../../kube/types.ts';
import type { ClusterRow, NodePoolRow } from '../../store/rows.ts';
import type { DecisionEvent } from './events-log.ts';
import { poolOfNode } from './node-groups.ts';
import type { NodeGroupProvider } from './provider.ts';
import type { CaState, Provisioning } from './state.ts';

export function registeredByGroup(nodes: KubeObject[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const n of nodes) {
    const g = poolOfNode(n);
    if (g) out.set(g, (out.get(g) ?? 0) + 1);
  }
  return out;
}

/**
 * Nodes asked for and still booting, per pool. Never more than the pool's target minus the nodes
 * it has: a manual resize or a node created some other way settles the difference.
 */
export function upcomingByGroup(state: CaState, pools: NodePoolRow[], nodes: KubeObject[]): Map<string, number> {
  const registered = registeredByGroup(nodes);
  const out = new Map<string, number>();
  for (const pool of pools) {
    const asked = state.provisioning.filter((p) => p.group === pool.name).reduce((s, p) => s + p.count, 0);
    out.set(pool.name, Math.max(0, Math.min(asked, pool.count - (registered.get(pool.name) ?? 0))));
  }
  return out;
}

/**
 * Lets booted nodes join: provisioning requests whose time has come become Node objects (and
 * node-hours) through the pools' own node sync. Requests the pool no longer wants are dropped.
 * Instances that failed or never register stay booting for `handleFailedScaleUps` to give up.
 */
export async function completeProvisioning(
  provider: NodeGroupProvider,
  cluster: ClusterRow,
  pools: NodePoolRow[],
  nodes: KubeObject[],
  state: CaState,
  now: number,
  log: DecisionEvent[],
): Promise<boolean> {
  const registered = registeredByGroup(nodes);
  let joined = false;
  const keep: CaState['provisioning'] = [];
  for (const pool of pools) {
    const mine = state.provisioning.filter((p) => p.group === pool.name).sort((a, b) => a.readyAt - b.readyAt);
    if (!mine.length) continue;
    let room = Math.max(0, pool.count - (registered.get(pool.name) ?? 0));
    const joinsNow = (p: Provisioning) => p.readyAt <= now && !p.error && p.registers !== false;
    const due = mine.filter(joinsNow);
    const dueCount = Math.min(
      room,
      due.reduce((s, p) => s + p.count, 0),
    );
    if (dueCount > 0) {
      const added = await provider.join(cluster, pool, registered.get(pool.name) ?? 0, dueCount);
      joined ||= added.length > 0;
      for (const name of added) log.push({ type: 'Normal', reason: 'NodeRegistered', message: `node ${name} of node group ${pool.name} joined the cluster` });
      room -= added.length;
    }
    // Failed and never-registering instances wait here until the failure handling gives them up.
    for (const p of mine.filter((x) => !joinsNow(x))) {
      const count = Math.min(p.count, room);
      if (count > 0) keep.push({ ...p, count });
      room -= count;
    }
  }
  state.provisioning = keep;
  return joined;
}
