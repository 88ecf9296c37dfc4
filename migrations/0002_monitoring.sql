CREATE TABLE `monitoring_samples` (
	`cluster_id` text NOT NULL,
	`at` integer NOT NULL,
	`data` text NOT NULL,
	PRIMARY KEY(`cluster_id`, `at`)
);
