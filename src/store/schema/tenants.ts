import { sqliteTable, text, integer, index } from 'drizzle-orm/sqlite-core';

export const tenants = sqliteTable('tenants', {
  id: text('id').primaryKey(),
  name: text('name').notNull().unique(),
  plan: text('plan').notNull(),
  webhookUrl: text('webhook_url'),
  createdAt: integer('created_at').notNull(),
  /** Set when the operator deletes the tenant: its keys are revoked and its clusters deleted, its invoices kept. */
  deletedAt: integer('deleted_at'),
});

/** API keys are stored as SHA-256 hashes; the key itself is shown once at creation. */
export const apiKeys = sqliteTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id'), // null for the operator's admin key
    name: text('name').notNull(),
    role: text('role').notNull(),
    keyHash: text('key_hash').notNull().unique(),
    createdAt: integer('created_at').notNull(),
    revokedAt: integer('revoked_at'),
  },
  (t) => [index('api_keys_tenant').on(t.tenantId)],
);

/**
 * Every API key revocation in order. Processes keep the revoked ids in memory and catch up by reading
 * the rows after the last `seq` they saw (src/auth/revoked-keys.ts).
 */
export const keyRevocations = sqliteTable('key_revocations', {
  seq: integer('seq').primaryKey({ autoIncrement: true }),
  apiKeyId: text('api_key_id').notNull(),
  revokedAt: integer('revoked_at').notNull(),
});

/** Asymmetric JWT signing keys; old keys stay published until their tokens expire. */
export const signingKeys = sqliteTable('signing_keys', {
  kid: text('kid').primaryKey(),
  alg: text('alg').notNull(),
  privateJwk: text('private_jwk').notNull(),
  publicJwk: text('public_jwk').notNull(),
  createdAt: integer('created_at').notNull(),
  retiredAt: integer('retired_at'),
});

/** Operator-level settings that must survive restarts (e.g. the generated admin key marker). */
export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});
