CREATE TABLE `api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text,
	`name` text NOT NULL,
	`role` text NOT NULL,
	`key_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`revoked_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_key_hash_unique` ON `api_keys` (`key_hash`);--> statement-breakpoint
CREATE INDEX `api_keys_tenant` ON `api_keys` (`tenant_id`);--> statement-breakpoint
CREATE TABLE `settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `signing_keys` (
	`kid` text PRIMARY KEY NOT NULL,
	`alg` text NOT NULL,
	`private_jwk` text NOT NULL,
	`public_jwk` text NOT NULL,
	`created_at` integer NOT NULL,
	`retired_at` integer
);
--> statement-breakpoint
CREATE TABLE `tenants` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`plan` text NOT NULL,
	`webhook_url` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tenants_name_unique` ON `tenants` (`name`);--> statement-breakpoint
CREATE TABLE `cluster_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`cluster_id` text NOT NULL,
	`tenant_id` text NOT NULL,
	`source` text NOT NULL,
	`type` text NOT NULL,
	`reason` text NOT NULL,
	`message` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `cluster_events_cluster` ON `cluster_events` (`cluster_id`,`at`);--> statement-breakpoint
CREATE TABLE `cluster_tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`cluster_id` text NOT NULL,
	`tenant_id` text NOT NULL,
	`role` text NOT NULL,
	`namespaces` text DEFAULT '[]' NOT NULL,
	`created_at` integer NOT NULL,
	`revoked_at` integer
);
--> statement-breakpoint
CREATE INDEX `cluster_tokens_cluster` ON `cluster_tokens` (`cluster_id`);--> statement-breakpoint
CREATE TABLE `clusters` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`name` text NOT NULL,
	`provider` text NOT NULL,
	`tier` text NOT NULL,
	`region` text NOT NULL,
	`kubernetes_version` text NOT NULL,
	`status` text NOT NULL,
	`settings` text DEFAULT '{}' NOT NULL,
	`time_scale` real DEFAULT 1 NOT NULL,
	`clock_origin_ms` integer NOT NULL,
	`clock_skew_ms` integer DEFAULT 0 NOT NULL,
	`resource_version` integer DEFAULT 0 NOT NULL,
	`compacted_revision` integer DEFAULT 0 NOT NULL,
	`token_generation` integer DEFAULT 1 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`deleted_at` integer
);
--> statement-breakpoint
CREATE INDEX `clusters_tenant` ON `clusters` (`tenant_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `clusters_status` ON `clusters` (`status`);--> statement-breakpoint
CREATE TABLE `idempotency_keys` (
	`tenant_id` text NOT NULL,
	`key` text NOT NULL,
	`request_hash` text NOT NULL,
	`status` integer,
	`response` text,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `key`)
);
--> statement-breakpoint
CREATE TABLE `node_pools` (
	`cluster_id` text NOT NULL,
	`name` text NOT NULL,
	`instance_type` text NOT NULL,
	`count` integer NOT NULL,
	`min_count` integer NOT NULL,
	`max_count` integer NOT NULL,
	`autoscaling` integer DEFAULT false NOT NULL,
	`labels` text DEFAULT '{}' NOT NULL,
	`taints` text DEFAULT '[]' NOT NULL,
	PRIMARY KEY(`cluster_id`, `name`)
);
--> statement-breakpoint
CREATE TABLE `operations` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`cluster_id` text NOT NULL,
	`type` text NOT NULL,
	`status` text NOT NULL,
	`error` text,
	`input` text DEFAULT '{}' NOT NULL,
	`created_at` integer NOT NULL,
	`started_at` integer,
	`finished_at` integer
);
--> statement-breakpoint
CREATE INDEX `operations_cluster` ON `operations` (`cluster_id`,`status`);--> statement-breakpoint
CREATE TABLE `objects` (
	`cluster_id` text NOT NULL,
	`resource` text NOT NULL,
	`namespace` text NOT NULL,
	`name` text NOT NULL,
	`uid` text NOT NULL,
	`resource_version` integer NOT NULL,
	`body` text NOT NULL,
	PRIMARY KEY(`cluster_id`, `resource`, `namespace`, `name`)
);
--> statement-breakpoint
CREATE INDEX `objects_uid` ON `objects` (`cluster_id`,`uid`);--> statement-breakpoint
CREATE TABLE `watch_events` (
	`cluster_id` text NOT NULL,
	`resource_version` integer NOT NULL,
	`resource` text NOT NULL,
	`namespace` text NOT NULL,
	`name` text NOT NULL,
	`type` text NOT NULL,
	`body` text NOT NULL,
	PRIMARY KEY(`cluster_id`, `resource_version`)
);
--> statement-breakpoint
CREATE INDEX `watch_events_resource` ON `watch_events` (`cluster_id`,`resource`,`resource_version`);--> statement-breakpoint
CREATE TABLE `usage_intervals` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`cluster_id` text NOT NULL,
	`kind` text NOT NULL,
	`subject` text NOT NULL,
	`attributes` text DEFAULT '{}' NOT NULL,
	`started_at` integer NOT NULL,
	`ended_at` integer
);
--> statement-breakpoint
CREATE INDEX `usage_intervals_cluster` ON `usage_intervals` (`cluster_id`,`kind`,`subject`);--> statement-breakpoint
CREATE INDEX `usage_intervals_tenant` ON `usage_intervals` (`tenant_id`,`started_at`);