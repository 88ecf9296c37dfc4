import type { RoleBinding } from '../objects.ts';
import { AGE, NAME, col, printer } from './format.ts';

export const rolePrinter = printer([
  NAME,
  [{ ...col('Created At', 'date', 0, 'Time when this Role was created'), format: 'date' }, (r) => r.metadata.creationTimestamp ?? ''],
]);

function subjectsOf(b: RoleBinding, kind: string): string {
  return (b.subjects ?? [])
    .filter((s) => s?.kind === kind)
    .map((s) => (kind === 'ServiceAccount' ? `${s.namespace ?? b.metadata.namespace ?? ''}/${s.name}` : s.name))
    .join(', ');
}

export const bindingPrinter = printer<RoleBinding>([
  NAME,
  [col('Role', 'string', 0, 'Role or ClusterRole bound'), (b) => `${b.roleRef?.kind ?? ''}/${b.roleRef?.name ?? ''}`],
  AGE,
  [col('Users', 'string', 1, 'Users in the binding'), (b) => subjectsOf(b, 'User')],
  [col('Groups', 'string', 1, 'Groups in the binding'), (b) => subjectsOf(b, 'Group')],
  [col('ServiceAccounts', 'string', 1, 'ServiceAccounts in the binding'), (b) => subjectsOf(b, 'ServiceAccount')],
]);
