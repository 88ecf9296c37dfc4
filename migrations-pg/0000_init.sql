CREATE TABLE "api_keys" (
	"id" text COLLATE "C" PRIMARY KEY NOT NULL,
	"tenant_id" text COLLATE "C",
	"name" text COLLATE "C" NOT NULL,
	"role" text COLLATE "C" NOT NULL,
	"key_hash" text COLLATE "C" NOT NULL,
	"created_at" bigint NOT NULL,
	"revoked_at" bigint,
	CONSTRAINT "api_keys_key_hash_unique" UNIQUE("key_hash")
);
--> statement-breakpoint
CREATE TABLE "autoscaling_state" (
	"cluster_id" text COLLATE "C" NOT NULL,
	"component" text COLLATE "C" NOT NULL,
	"key" text COLLATE "C" NOT NULL,
	"body" text COLLATE "C" NOT NULL,
	"updated_at" bigint NOT NULL,
	CONSTRAINT "autoscaling_state_cluster_id_component_key_pk" PRIMARY KEY("cluster_id","component","key")
);
--> statement-breakpoint
CREATE TABLE "billing_alerts" (
	"id" text COLLATE "C" PRIMARY KEY NOT NULL,
	"tenant_id" text COLLATE "C" NOT NULL,
	"budget_id" text COLLATE "C" NOT NULL,
	"period" text COLLATE "C" NOT NULL,
	"threshold_percent" bigint NOT NULL,
	"spent_micro" bigint NOT NULL,
	"budget_micro" bigint NOT NULL,
	"created_at" bigint NOT NULL,
	"webhook_status" text COLLATE "C" NOT NULL,
	"webhook_attempts" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "billing_cursors" (
	"cluster_id" text COLLATE "C" PRIMARY KEY NOT NULL,
	"tenant_id" text COLLATE "C" NOT NULL,
	"rated_until" bigint NOT NULL,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "budgets" (
	"id" text COLLATE "C" PRIMARY KEY NOT NULL,
	"tenant_id" text COLLATE "C" NOT NULL,
	"name" text COLLATE "C" NOT NULL,
	"amount_micro" bigint NOT NULL,
	"thresholds" text COLLATE "C" NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cluster_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"cluster_id" text COLLATE "C" NOT NULL,
	"tenant_id" text COLLATE "C" NOT NULL,
	"source" text COLLATE "C" NOT NULL,
	"type" text COLLATE "C" NOT NULL,
	"reason" text COLLATE "C" NOT NULL,
	"message" text COLLATE "C" NOT NULL,
	"at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cluster_tokens" (
	"id" text COLLATE "C" PRIMARY KEY NOT NULL,
	"cluster_id" text COLLATE "C" NOT NULL,
	"tenant_id" text COLLATE "C" NOT NULL,
	"role" text COLLATE "C" NOT NULL,
	"namespaces" text COLLATE "C" DEFAULT '[]' NOT NULL,
	"created_at" bigint NOT NULL,
	"revoked_at" bigint
);
--> statement-breakpoint
CREATE TABLE "cluster_traffic" (
	"cluster_id" text COLLATE "C" PRIMARY KEY NOT NULL,
	"spec" text COLLATE "C" NOT NULL,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "clusters" (
	"id" text COLLATE "C" PRIMARY KEY NOT NULL,
	"tenant_id" text COLLATE "C" NOT NULL,
	"name" text COLLATE "C" NOT NULL,
	"provider" text COLLATE "C" NOT NULL,
	"tier" text COLLATE "C" NOT NULL,
	"region" text COLLATE "C" NOT NULL,
	"kubernetes_version" text COLLATE "C" NOT NULL,
	"status" text COLLATE "C" NOT NULL,
	"settings" text COLLATE "C" DEFAULT '{}' NOT NULL,
	"time_scale" double precision DEFAULT 1 NOT NULL,
	"clock_origin_ms" bigint NOT NULL,
	"clock_skew_ms" bigint DEFAULT 0 NOT NULL,
	"resource_version" bigint DEFAULT 0 NOT NULL,
	"compacted_revision" bigint DEFAULT 0 NOT NULL,
	"token_generation" bigint DEFAULT 1 NOT NULL,
	"created_at" bigint NOT NULL,
	"updated_at" bigint NOT NULL,
	"deleted_at" bigint
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"tenant_id" text COLLATE "C" NOT NULL,
	"key" text COLLATE "C" NOT NULL,
	"request_hash" text COLLATE "C" NOT NULL,
	"status" bigint,
	"response" text COLLATE "C",
	"created_at" bigint NOT NULL,
	CONSTRAINT "idempotency_keys_tenant_id_key_pk" PRIMARY KEY("tenant_id","key")
);
--> statement-breakpoint
CREATE TABLE "key_revocations" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"api_key_id" text COLLATE "C" NOT NULL,
	"revoked_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "metric_rollups" (
	"cluster_id" text COLLATE "C" NOT NULL,
	"resolution" text COLLATE "C" NOT NULL,
	"kind" text COLLATE "C" NOT NULL,
	"namespace" text COLLATE "C" NOT NULL,
	"name" text COLLATE "C" NOT NULL,
	"bucket_start" bigint NOT NULL,
	"samples" bigint NOT NULL,
	"cpu_milli_sum" double precision NOT NULL,
	"cpu_milli_max" double precision NOT NULL,
	"memory_bytes_sum" double precision NOT NULL,
	"memory_bytes_max" bigint NOT NULL,
	CONSTRAINT "metric_rollups_cluster_id_resolution_kind_namespace_name_bucket_start_pk" PRIMARY KEY("cluster_id","resolution","kind","namespace","name","bucket_start")
);
--> statement-breakpoint
CREATE TABLE "metric_samples" (
	"cluster_id" text COLLATE "C" NOT NULL,
	"kind" text COLLATE "C" NOT NULL,
	"namespace" text COLLATE "C" NOT NULL,
	"name" text COLLATE "C" NOT NULL,
	"at" bigint NOT NULL,
	"window_ms" bigint NOT NULL,
	"cpu_milli" double precision NOT NULL,
	"memory_bytes" bigint NOT NULL,
	"containers" text COLLATE "C",
	"gone" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "metric_samples_cluster_id_kind_namespace_name_at_pk" PRIMARY KEY("cluster_id","kind","namespace","name","at")
);
--> statement-breakpoint
CREATE TABLE "monitoring_samples" (
	"cluster_id" text COLLATE "C" NOT NULL,
	"at" bigint NOT NULL,
	"data" text COLLATE "C" NOT NULL,
	CONSTRAINT "monitoring_samples_cluster_id_at_pk" PRIMARY KEY("cluster_id","at")
);
--> statement-breakpoint
CREATE TABLE "node_pools" (
	"cluster_id" text COLLATE "C" NOT NULL,
	"name" text COLLATE "C" NOT NULL,
	"instance_type" text COLLATE "C" NOT NULL,
	"count" bigint NOT NULL,
	"min_count" bigint NOT NULL,
	"max_count" bigint NOT NULL,
	"autoscaling" bigint DEFAULT 0 NOT NULL,
	"labels" text COLLATE "C" DEFAULT '{}' NOT NULL,
	"taints" text COLLATE "C" DEFAULT '[]' NOT NULL,
	CONSTRAINT "node_pools_cluster_id_name_pk" PRIMARY KEY("cluster_id","name")
);
--> statement-breakpoint
CREATE TABLE "objects" (
	"cluster_id" text COLLATE "C" NOT NULL,
	"resource" text COLLATE "C" NOT NULL,
	"namespace" text COLLATE "C" NOT NULL,
	"name" text COLLATE "C" NOT NULL,
	"uid" text COLLATE "C" NOT NULL,
	"resource_version" bigint NOT NULL,
	"body" text COLLATE "C" NOT NULL,
	CONSTRAINT "objects_cluster_id_resource_namespace_name_pk" PRIMARY KEY("cluster_id","resource","namespace","name")
);
--> statement-breakpoint
CREATE TABLE "operations" (
	"id" text COLLATE "C" PRIMARY KEY NOT NULL,
	"tenant_id" text COLLATE "C" NOT NULL,
	"cluster_id" text COLLATE "C" NOT NULL,
	"type" text COLLATE "C" NOT NULL,
	"status" text COLLATE "C" NOT NULL,
	"error" text COLLATE "C",
	"input" text COLLATE "C" DEFAULT '{}' NOT NULL,
	"created_at" bigint NOT NULL,
	"started_at" bigint,
	"finished_at" bigint
);
--> statement-breakpoint
CREATE TABLE "rate_limits" (
	"key" text COLLATE "C" PRIMARY KEY NOT NULL,
	"tat" double precision NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reconcile_marks" (
	"cluster_id" text COLLATE "C" NOT NULL,
	"controller" text COLLATE "C" NOT NULL,
	"pending_at" bigint,
	"dirty" bigint DEFAULT 0 NOT NULL,
	"lock_token" text COLLATE "C",
	"lock_until" bigint,
	"timer_due" bigint,
	CONSTRAINT "reconcile_marks_cluster_id_controller_pk" PRIMARY KEY("cluster_id","controller")
);
--> statement-breakpoint
CREATE TABLE "settings" (
	"key" text COLLATE "C" PRIMARY KEY NOT NULL,
	"value" text COLLATE "C" NOT NULL
);
--> statement-breakpoint
CREATE TABLE "signing_keys" (
	"kid" text COLLATE "C" PRIMARY KEY NOT NULL,
	"alg" text COLLATE "C" NOT NULL,
	"private_jwk" text COLLATE "C" NOT NULL,
	"public_jwk" text COLLATE "C" NOT NULL,
	"created_at" bigint NOT NULL,
	"retired_at" bigint
);
--> statement-breakpoint
CREATE TABLE "tenants" (
	"id" text COLLATE "C" PRIMARY KEY NOT NULL,
	"name" text COLLATE "C" NOT NULL,
	"plan" text COLLATE "C" NOT NULL,
	"webhook_url" text COLLATE "C",
	"created_at" bigint NOT NULL,
	CONSTRAINT "tenants_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "usage_intervals" (
	"id" text COLLATE "C" PRIMARY KEY NOT NULL,
	"tenant_id" text COLLATE "C" NOT NULL,
	"cluster_id" text COLLATE "C" NOT NULL,
	"kind" text COLLATE "C" NOT NULL,
	"subject" text COLLATE "C" NOT NULL,
	"attributes" text COLLATE "C" DEFAULT '{}' NOT NULL,
	"started_at" bigint NOT NULL,
	"ended_at" bigint
);
--> statement-breakpoint
CREATE TABLE "usage_records" (
	"cluster_id" text COLLATE "C" NOT NULL,
	"hour_start" bigint NOT NULL,
	"line_item" text COLLATE "C" NOT NULL,
	"subject" text COLLATE "C" NOT NULL,
	"tenant_id" text COLLATE "C" NOT NULL,
	"provider" text COLLATE "C" NOT NULL,
	"tier" text COLLATE "C" NOT NULL,
	"region" text COLLATE "C" NOT NULL,
	"kind" text COLLATE "C" NOT NULL,
	"unit" text COLLATE "C" NOT NULL,
	"quantity_micro" bigint NOT NULL,
	"unit_price_nano" bigint NOT NULL,
	"amount_micro" bigint NOT NULL,
	"billed_ms" bigint NOT NULL,
	"price_book" text COLLATE "C" NOT NULL,
	"attributes" text COLLATE "C" DEFAULT '{}' NOT NULL,
	CONSTRAINT "usage_records_cluster_id_hour_start_line_item_subject_pk" PRIMARY KEY("cluster_id","hour_start","line_item","subject")
);
--> statement-breakpoint
CREATE TABLE "watch_events" (
	"cluster_id" text COLLATE "C" NOT NULL,
	"resource_version" bigint NOT NULL,
	"resource" text COLLATE "C" NOT NULL,
	"namespace" text COLLATE "C" NOT NULL,
	"name" text COLLATE "C" NOT NULL,
	"type" text COLLATE "C" NOT NULL,
	"body" text COLLATE "C" NOT NULL,
	CONSTRAINT "watch_events_cluster_id_resource_version_pk" PRIMARY KEY("cluster_id","resource_version")
);
--> statement-breakpoint
CREATE TABLE "worker_leases" (
	"name" text COLLATE "C" PRIMARY KEY NOT NULL,
	"holder" text COLLATE "C" NOT NULL,
	"expires_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "write_guards" (
	"write_conflict" bigint NOT NULL
);
--> statement-breakpoint
CREATE INDEX "api_keys_tenant" ON "api_keys" USING btree ("tenant_id");--> statement-breakpoint
CREATE UNIQUE INDEX "billing_alerts_once" ON "billing_alerts" USING btree ("budget_id","period","threshold_percent");--> statement-breakpoint
CREATE INDEX "billing_alerts_tenant" ON "billing_alerts" USING btree ("tenant_id","created_at");--> statement-breakpoint
CREATE INDEX "budgets_tenant" ON "budgets" USING btree ("tenant_id");--> statement-breakpoint
CREATE INDEX "cluster_events_cluster" ON "cluster_events" USING btree ("cluster_id","at");--> statement-breakpoint
CREATE INDEX "cluster_tokens_cluster" ON "cluster_tokens" USING btree ("cluster_id");--> statement-breakpoint
CREATE INDEX "clusters_tenant" ON "clusters" USING btree ("tenant_id","created_at");--> statement-breakpoint
CREATE INDEX "clusters_status" ON "clusters" USING btree ("status");--> statement-breakpoint
CREATE INDEX "idempotency_keys_created" ON "idempotency_keys" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "metric_rollups_bucket" ON "metric_rollups" USING btree ("cluster_id","resolution","bucket_start");--> statement-breakpoint
CREATE INDEX "metric_samples_cluster_at" ON "metric_samples" USING btree ("cluster_id","at");--> statement-breakpoint
CREATE INDEX "objects_uid" ON "objects" USING btree ("cluster_id","uid");--> statement-breakpoint
CREATE INDEX "operations_cluster" ON "operations" USING btree ("cluster_id","status");--> statement-breakpoint
CREATE INDEX "usage_intervals_cluster" ON "usage_intervals" USING btree ("cluster_id","kind","subject");--> statement-breakpoint
CREATE INDEX "usage_intervals_tenant" ON "usage_intervals" USING btree ("tenant_id","started_at");--> statement-breakpoint
CREATE INDEX "usage_records_tenant" ON "usage_records" USING btree ("tenant_id","hour_start");--> statement-breakpoint
CREATE INDEX "watch_events_resource" ON "watch_events" USING btree ("cluster_id","resource","resource_version");