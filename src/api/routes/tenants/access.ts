import type { Context } from 'hono';
import type { AppEnv } from '../../env.ts';
import { principalOf } from '../../middleware/auth.ts';
import { ApiError } from '../../errors.ts';

/** The admin may manage any tenant; a tenant's owner only its own. Others get 404, never another tenant's data. */
export function assertTenantAccess(c: Context<AppEnv>, tenantId: string, ownerOnly: boolean): void {
  const p = principalOf(c);
  if (p.kind === 'admin') return;
  if (p.kind !== 'tenant' || p.tenantId !== tenantId) throw new ApiError('NOT_FOUND', `tenant ${tenantId} not found`);
  if (ownerOnly && p.role !== 'owner') throw new ApiError('FORBIDDEN', `role ${p.role} may not manage API keys (needs owner)`);
}
