ALTER TABLE `budgets` ADD `scope_cluster_id` text;--> statement-breakpoint
ALTER TABLE `budgets` ADD `scope_label` text;--> statement-breakpoint
ALTER TABLE `budgets` ADD `baseline_micro` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `budgets` ADD `baseline_period` text;