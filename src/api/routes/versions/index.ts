import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../env.ts';
import { requireTenant } from '../../middleware/auth.ts';
import { bearer, errors } from '../common.ts';
import { PROVIDERS } from '../../../billing/catalog.ts';
import { SUPPORT_CALENDAR, SUPPORT_SOURCES, supportPhaseAt } from '../../../billing/support-calendar.ts';
import { SERVED_VERSIONS } from '../../../services/clusters/version-skew.ts';

const VersionSupportSchema = z
  .object({
    provider: z.enum(['eks', 'gke', 'aks']),
    version: z.string().openapi({ example: '1.31' }),
    released: z.string().openapi({ example: '2024-09-26' }),
    endOfStandardSupport: z.string().openapi({ example: '2025-11-26' }),
    endOfExtendedSupport: z.string().openapi({ description: 'EKS extended support, the GKE Extended channel, AKS Long Term Support (Premium tier)' }),
    phase: z.enum(['standard', 'extended', 'end-of-life']).openapi({ description: 'Where the version is today' }),
  })
  .openapi('KubernetesVersionSupport');

const route = createRoute({
  method: 'get',
  path: '/v1/kubernetes-versions',
  operationId: 'listKubernetesVersions',
  tags: ['clusters'],
  summary: "The Kubernetes versions kates serves and each provider's support calendar for them",
  description:
    'An EKS cluster whose version is past standard support is billed the extended-support control-plane rate ($0.60 instead of $0.10 per hour) from that hour.',
  security: bearer,
  request: {
    query: z.object({
      provider: z
        .enum(['eks', 'gke', 'aks'])
        .optional()
        .openapi({ param: { name: 'provider', in: 'query' } }),
    }),
  },
  responses: {
    200: {
      description: 'The calendar',
      content: {
        'application/json': { schema: z.object({ items: z.array(VersionSupportSchema), sources: z.array(z.string()) }).openapi('KubernetesVersionList') },
      },
    },
    ...errors(400, 401, 403, 422, 429),
  },
});

export function registerKubernetesVersions(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    // Public facts: every tenant role may read them.
    requireTenant(c, ['owner', 'developer', 'viewer', 'billing']);
    const { provider } = c.req.valid('query');
    const now = c.get('deps').clock.now();
    const items = (provider ? [provider] : PROVIDERS).flatMap((p) =>
      SERVED_VERSIONS.map((version) => {
        const s = SUPPORT_CALENDAR[p][version];
        return {
          provider: p,
          version,
          released: s.released,
          endOfStandardSupport: s.endOfStandard,
          endOfExtendedSupport: s.endOfExtended,
          phase: supportPhaseAt(p, version, now)!,
        };
      }),
    );
    return c.json({ items, sources: provider ? [SUPPORT_SOURCES[provider]] : PROVIDERS.map((p) => SUPPORT_SOURCES[p]) }, 200);
  });
}
