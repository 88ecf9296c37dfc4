CREATE TABLE `autoscaling_state` (
	`cluster_id` text NOT NULL,
	`component` text NOT NULL,
	`key` text NOT NULL,
	`body` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`cluster_id`, `component`, `key`)
);
--> statement-breakpoint
CREATE TABLE `cluster_traffic` (
	`cluster_id` text PRIMARY KEY NOT NULL,
	`spec` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `metric_rollups` (
	`cluster_id` text NOT NULL,
	`resolution` text NOT NULL,
	`kind` text NOT NULL,
	`namespace` text NOT NULL,
	`name` text NOT NULL,
	`bucket_start` integer NOT NULL,
	`samples` integer NOT NULL,
	`cpu_milli_sum` real NOT NULL,
	`cpu_milli_max` real NOT NULL,
	`memory_bytes_sum` real NOT NULL,
	`memory_bytes_max` integer NOT NULL,
	PRIMARY KEY(`cluster_id`, `resolution`, `kind`, `namespace`, `name`, `bucket_start`)
);
--> statement-breakpoint
CREATE INDEX `metric_rollups_bucket` ON `metric_rollups` (`cluster_id`,`resolution`,`bucket_start`);--> statement-breakpoint
CREATE TABLE `metric_samples` (
	`cluster_id` text NOT NULL,
	`kind` text NOT NULL,
	`namespace` text NOT NULL,
	`name` text NOT NULL,
	`at` integer NOT NULL,
	`window_ms` integer NOT NULL,
	`cpu_milli` real NOT NULL,
	`memory_bytes` integer NOT NULL,
	`containers` text,
	PRIMARY KEY(`cluster_id`, `kind`, `namespace`, `name`, `at`)
);
--> statement-breakpoint
CREATE INDEX `metric_samples_cluster_at` ON `metric_samples` (`cluster_id`,`at`);