import type { operations } from '../store/schema/index.ts';
import type { EventView } from './event-feed.ts';

type OperationRow = typeof operations.$inferSelect;

const WORDS: Record<string, { source: string; start: string; done: string; failed: string; verb: string }> = {
  CREATE_CLUSTER: { source: 'provisioning', start: 'ProvisioningStarted', done: 'Provisioned', failed: 'ProvisioningFailed', verb: 'provisioning' },
  UPDATE_CLUSTER: { source: 'scaling', start: 'ResizeStarted', done: 'Resized', failed: 'ResizeFailed', verb: 'resize' },
  DELETE_CLUSTER: { source: 'provisioning', start: 'DeletionStarted', done: 'Deleted', failed: 'DeletionFailed', verb: 'deletion' },
  UPGRADE_CLUSTER: { source: 'upgrade', start: 'UpgradeStarted', done: 'Upgraded', failed: 'UpgradeFailed', verb: 'upgrade' },
  CREATE_NODE_POOL: { source: 'node-pools', start: 'NodePoolCreating', done: 'NodePoolCreated', failed: 'NodePoolCreateFailed', verb: 'node pool creation' },
  UPDATE_NODE_POOL: { source: 'node-pools', start: 'NodePoolUpdating', done: 'NodePoolUpdated', failed: 'NodePoolUpdateFailed', verb: 'node pool update' },
  DELETE_NODE_POOL: { source: 'node-pools', start: 'NodePoolDeleting', done: 'NodePoolDeleted', failed: 'NodePoolDeleteFailed', verb: 'node pool deletion' },
};

/** What the operation is about: the upgrade's versions, the pool's name. */
function subject(op: OperationRow): string {
  try {
    const input = JSON.parse(op.input) as { from?: string; to?: string; pool?: string };
    if (op.type === 'UPGRADE_CLUSTER' && input.to) return ` (${input.from} → ${input.to})`;
    return input.pool ? ` (node pool ${input.pool})` : '';
  } catch {
    return '';
  }
}

function poolSummary(input: string): string {
  try {
    const pools = (JSON.parse(input) as { nodePools?: { name: string; count?: number }[] }).nodePools ?? [];
    const parts = pools.filter((p) => p.count !== undefined).map((p) => `${p.name} → ${p.count} nodes`);
    return parts.length ? ` (${parts.join(', ')})` : '';
  } catch {
    return '';
  }
}

/** The events a management operation stands for: its start and its outcome. */
export function operationEvents(op: OperationRow, toClusterTime: (realMs: number) => number): EventView[] {
  const w = WORDS[op.type];
  if (!w) return [];
  const at = (ms: number) => new Date(toClusterTime(ms)).toISOString();
  const base = { source: w.source, object: null, namespace: null, count: 1 };
  const out: EventView[] = [
    {
      ...base,
      time: at(op.createdAt),
      type: 'Normal',
      reason: w.start,
      message: `${w.verb} requested by operation ${op.id}${op.type === 'UPDATE_CLUSTER' ? poolSummary(op.input) : subject(op)}`,
    },
  ];
  if (op.finishedAt !== null && op.status === 'SUCCEEDED')
    out.push({ ...base, time: at(op.finishedAt), type: 'Normal', reason: w.done, message: `${w.verb} finished (operation ${op.id})` });
  if (op.finishedAt !== null && op.status === 'FAILED')
    out.push({ ...base, time: at(op.finishedAt), type: 'Warning', reason: w.failed, message: `${w.verb} failed: ${op.error ?? 'unknown error'}` });
  return out;
}
