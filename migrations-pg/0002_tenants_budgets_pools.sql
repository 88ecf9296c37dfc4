ALTER TABLE "budgets" ADD COLUMN "scope_cluster_id" text COLLATE "C";--> statement-breakpoint
ALTER TABLE "budgets" ADD COLUMN "scope_label" text COLLATE "C";--> statement-breakpoint
ALTER TABLE "budgets" ADD COLUMN "baseline_micro" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "budgets" ADD COLUMN "baseline_period" text COLLATE "C";--> statement-breakpoint
ALTER TABLE "node_pools" ADD COLUMN "version" text COLLATE "C";--> statement-breakpoint
ALTER TABLE "node_pools" ADD COLUMN "zones" text COLLATE "C" DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE "node_pools" ADD COLUMN "capacity_type" text COLLATE "C" DEFAULT 'ON_DEMAND' NOT NULL;--> statement-breakpoint
ALTER TABLE "node_pools" ADD COLUMN "max_surge" text COLLATE "C";--> statement-breakpoint
ALTER TABLE "node_pools" ADD COLUMN "max_unavailable" text COLLATE "C";--> statement-breakpoint
ALTER TABLE "node_pools" ADD COLUMN "status" text COLLATE "C" DEFAULT 'READY' NOT NULL;--> statement-breakpoint
ALTER TABLE "operations" ADD COLUMN "progress" text COLLATE "C" DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "deleted_at" bigint;