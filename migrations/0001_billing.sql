CREATE TABLE `billing_alerts` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`budget_id` text NOT NULL,
	`period` text NOT NULL,
	`threshold_percent` integer NOT NULL,
	`spent_micro` integer NOT NULL,
	`budget_micro` integer NOT NULL,
	`created_at` integer NOT NULL,
	`webhook_status` text NOT NULL,
	`webhook_attempts` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `billing_alerts_once` ON `billing_alerts` (`budget_id`,`period`,`threshold_percent`);--> statement-breakpoint
CREATE INDEX `billing_alerts_tenant` ON `billing_alerts` (`tenant_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `billing_cursors` (
	`cluster_id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`rated_until` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `budgets` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`name` text NOT NULL,
	`amount_micro` integer NOT NULL,
	`thresholds` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `budgets_tenant` ON `budgets` (`tenant_id`);--> statement-breakpoint
CREATE TABLE `usage_records` (
	`cluster_id` text NOT NULL,
	`hour_start` integer NOT NULL,
	`line_item` text NOT NULL,
	`subject` text NOT NULL,
	`tenant_id` text NOT NULL,
	`provider` text NOT NULL,
	`tier` text NOT NULL,
	`region` text NOT NULL,
	`kind` text NOT NULL,
	`unit` text NOT NULL,
	`quantity_micro` integer NOT NULL,
	`unit_price_nano` integer NOT NULL,
	`amount_micro` integer NOT NULL,
	`billed_ms` integer NOT NULL,
	`price_book` text NOT NULL,
	`attributes` text DEFAULT '{}' NOT NULL,
	PRIMARY KEY(`cluster_id`, `hour_start`, `line_item`, `subject`)
);
--> statement-breakpoint
CREATE INDEX `usage_records_tenant` ON `usage_records` (`tenant_id`,`hour_start`);