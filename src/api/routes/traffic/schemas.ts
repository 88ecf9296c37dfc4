import { z } from '@hono/zod-openapi';
import { isQuantity } from '../../../lib/quantity.ts';
import { parseTimeOfDay } from '../../../traffic/profile.ts';

const name = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'must be a Kubernetes object name');
const quantity = (example: string) =>
  z
    .string()
    .refine((q) => isQuantity(q) && !q.startsWith('-'), 'must be a non-negative Kubernetes quantity')
    .openapi({ example });

export const TrafficPointSchema = z
  .object({
    at: z
      .string()
      .refine((t) => parseTimeOfDay(t) !== undefined, 'must be a time of day "HH:MM" or "HH:MM:SS"')
      .openapi({ example: '09:00' }),
    rps: z.number().min(0).max(1_000_000),
  })
  .strict()
  .openapi('TrafficPoint');

export const TrafficProfileSchema = z
  .object({
    type: z.enum(['points', 'steps']).openapi({ description: 'points: linear between points; steps: each value holds until the next' }),
    points: z.array(TrafficPointSchema).min(1).max(288),
  })
  .strict()
  .openapi('TrafficProfile', { description: 'A daily load shape on the cluster clock (UTC time of day)' });

export const ServiceTrafficSchema = z
  .object({
    namespace: name,
    name,
    rps: z.number().min(0).max(1_000_000).optional().openapi({ description: 'Constant requests per second (when there is no profile)' }),
    profile: TrafficProfileSchema.optional(),
    cpuPerRequest: quantity('5m').openapi({ description: 'CPU kept busy per request per second' }),
    memoryPerRequest: quantity('1Mi').optional().openapi({ description: 'Memory held per request per second' }),
  })
  .strict()
  .openapi('ServiceTraffic');

export const TrafficRequest = z
  .object({ services: z.array(ServiceTrafficSchema).max(100) })
  .strict()
  .superRefine((v, ctx) => {
    const seen = new Set<string>();
    v.services.forEach((s, i) => {
      const key = `${s.namespace}/${s.name}`;
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: ['services', i, 'name'], message: `service ${key} is listed twice` });
      seen.add(key);
      if (s.rps === undefined && !s.profile) ctx.addIssue({ code: 'custom', path: ['services', i, 'rps'], message: 'give rps or a profile' });
      if (s.rps !== undefined && s.profile) ctx.addIssue({ code: 'custom', path: ['services', i, 'profile'], message: 'give rps or a profile, not both' });
    });
  })
  .openapi('TrafficRequest');

export const ServiceLoadSchema = z
  .object({
    namespace: z.string(),
    name: z.string(),
    rps: z.number().openapi({ description: 'Requests per second now (cluster clock)' }),
    endpoints: z.number().int().openapi({ description: 'Ready endpoints sharing the load' }),
    rpsPerEndpoint: z.number(),
    found: z.boolean().openapi({ description: 'False when the Service does not exist' }),
  })
  .openapi('ServiceLoad');

export const TrafficResponse = z
  .object({
    services: z.array(ServiceTrafficSchema),
    updatedAt: z.string().nullable(),
    clusterTime: z.string().openapi({ description: 'The cluster clock when `current` was computed' }),
    current: z.array(ServiceLoadSchema),
  })
  .openapi('Traffic');

export type TrafficInput = z.infer<typeof TrafficRequest>;
