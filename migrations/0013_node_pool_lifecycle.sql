ALTER TABLE `node_pools` ADD `version` text;--> statement-breakpoint
ALTER TABLE `node_pools` ADD `zones` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `node_pools` ADD `capacity_type` text DEFAULT 'ON_DEMAND' NOT NULL;--> statement-breakpoint
ALTER TABLE `node_pools` ADD `max_surge` text;--> statement-breakpoint
ALTER TABLE `node_pools` ADD `max_unavailable` text;--> statement-breakpoint
ALTER TABLE `node_pools` ADD `status` text DEFAULT 'READY' NOT NULL;--> statement-breakpoint
ALTER TABLE `operations` ADD `progress` text DEFAULT '{}' NOT NULL;