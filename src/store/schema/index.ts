export * from './tenants.ts';
export * from './clusters.ts';
export * from './objects.ts';
export * from './usage.ts';
export * from './billing.ts';
export * from './monitoring.ts';
export * from './metrics.ts';
export * from './workers.ts';
