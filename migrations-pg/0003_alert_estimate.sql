ALTER TABLE "billing_alerts" ADD COLUMN "estimated_micro" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "billing_alerts" ADD COLUMN "rated_through" bigint;