/* eslint-disable @typescript-eslint/no-explicit-any */
import type { KubeObject } from '../types.ts';
import { AGE, NAME, col, printer } from './format.ts';

export const rolePrinter = printer([
  NAME,
  [{ ...col('Created At', 'date', 0, 'Time when this Role was created'), format: 'date' }, (r) => r.metadata.creationTimestamp ?? ''],
]);

function subjectsOf(b: KubeObject, kind: string): string {
  return ((b.subjects as any[]) ?? [])
    .filter((s) => s?.kind === kind)
    .map((s) => (kind === 'ServiceAccount' ? `${s.namespace ?? b.metadata.namespace ?? ''}/${s.name}` : s.name))
    .join(', ');
}

export const bindingPrinter = printer([
  NAME,
  [col('Role', 'string', 0, 'Role or ClusterRole bound'), (b) => `${(b.roleRef as any)?.kind ?? ''}/${(b.roleRef as any)?.name ?? ''}`],
  AGE,
  [col('Users', 'string', 1, 'Users in the binding'), (b) => subjectsOf(b, 'User')],
  [col('Groups', 'string', 1, 'Groups in the binding'), (b) => subjectsOf(b, 'Group')],
  [col('ServiceAccounts', 'string', 1, 'ServiceAccounts in the binding'), (b) => subjectsOf(b, 'ServiceAccount')],
]);
