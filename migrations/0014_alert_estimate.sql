ALTER TABLE `billing_alerts` ADD `estimated_micro` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `billing_alerts` ADD `rated_through` integer;