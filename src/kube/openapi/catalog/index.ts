import type { Catalog } from './types.ts';
import { metaTypes } from './meta.ts';
import { podTypes } from './pod.ts';
import { coreTypes } from './core.ts';
import { workloadTypes } from './workloads.ts';
import { miscTypes } from './misc.ts';
import { legacyTypes } from './legacy.ts';

export const CATALOG: Catalog = { ...metaTypes, ...podTypes, ...coreTypes, ...workloadTypes, ...miscTypes, ...legacyTypes };
