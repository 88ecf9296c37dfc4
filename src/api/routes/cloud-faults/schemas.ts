import { z } from '@hono/zod-openapi';
import { CLOUD_FAULTS } from '../../../autoscaling/cluster-autoscaler/cloud-faults.ts';

export const CloudFaultSchema = z
  .object({
    nodePool: z.string().min(1).max(40),
    fault: z.enum(CLOUD_FAULTS).openapi({
      description:
        'out-of-capacity / quota-exceeded: new instances fail to be created; never-registers: their nodes never join (the scale-up times out); api-error: the provider refuses the resize',
    }),
    capacity: z
      .number()
      .int()
      .min(0)
      .max(1000)
      .optional()
      .openapi({ description: 'Nodes the pool still reaches normally (booting ones included); the fault hits the ones beyond. Absent: every new node.' }),
  })
  .strict()
  .openapi('CloudFault');

export const CloudFaultsRequest = z
  .object({ nodePools: z.array(CloudFaultSchema).max(10) })
  .strict()
  .superRefine((v, ctx) => {
    const seen = new Set<string>();
    v.nodePools.forEach((f, i) => {
      if (seen.has(f.nodePool)) ctx.addIssue({ code: 'custom', path: ['nodePools', i, 'nodePool'], message: `node pool ${f.nodePool} is listed twice` });
      seen.add(f.nodePool);
    });
  })
  .openapi('CloudFaultsRequest');

export const CloudFaultsResponse = z.object({ nodePools: z.array(CloudFaultSchema) }).openapi('CloudFaults');
