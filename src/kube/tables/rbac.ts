/* eslint-disable @typescript-eslint/no-explicit-any */
import type { KubeObject } from '../types.ts';
import { age, ageColumn, col, nameColumn, type Printer } from './format.ts';

export const rolePrinter: Printer = {
  columns: [nameColumn, { ...col('Created At', 'date', 0, 'Time when this Role was created'), format: 'date' }],
  cells: (r) => [r.metadata.name, r.metadata.creationTimestamp ?? ''],
};

function subjectsOf(b: KubeObject, kind: string): string {
  return ((b.subjects as any[]) ?? [])
    .filter((s) => s?.kind === kind)
    .map((s) => (kind === 'ServiceAccount' ? `${s.namespace ?? b.metadata.namespace ?? ''}/${s.name}` : s.name))
    .join(', ');
}

export const bindingPrinter: Printer = {
  columns: [
    nameColumn,
    col('Role', 'string', 0, 'Role or ClusterRole bound'),
    ageColumn,
    col('Users', 'string', 1, 'Users in the binding'),
    col('Groups', 'string', 1, 'Groups in the binding'),
    col('ServiceAccounts', 'string', 1, 'ServiceAccounts in the binding'),
  ],
  cells: (b, now) => [
    b.metadata.name,
    `${(b.roleRef as any)?.kind ?? ''}/${(b.roleRef as any)?.name ?? ''}`,
    age(b, now),
    subjectsOf(b, 'User'),
    subjectsOf(b, 'Group'),
    subjectsOf(b, 'ServiceAccount'),
  ],
};
