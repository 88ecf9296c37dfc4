CREATE TABLE `rate_limit_windows` (
	`key` text NOT NULL,
	`window` integer NOT NULL,
	`count` integer NOT NULL,
	PRIMARY KEY(`key`, `window`)
);
--> statement-breakpoint
CREATE TABLE `reconcile_marks` (
	`cluster_id` text NOT NULL,
	`controller` text NOT NULL,
	`pending_at` integer,
	`dirty` integer DEFAULT 0 NOT NULL,
	`lock_token` text,
	`lock_until` integer,
	`timer_due` integer,
	PRIMARY KEY(`cluster_id`, `controller`)
);
--> statement-breakpoint
CREATE TABLE `worker_leases` (
	`name` text PRIMARY KEY NOT NULL,
	`holder` text NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `write_guards` (
	`write_conflict` integer NOT NULL
);
