CREATE TABLE `key_revocations` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`api_key_id` text NOT NULL,
	`revoked_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `rate_limits` (
	`key` text PRIMARY KEY NOT NULL,
	`tat` real NOT NULL
);
--> statement-breakpoint
INSERT INTO `key_revocations` (`api_key_id`, `revoked_at`) SELECT `id`, `revoked_at` FROM `api_keys` WHERE `revoked_at` IS NOT NULL ORDER BY `revoked_at`;
--> statement-breakpoint
DROP TABLE `rate_limit_windows`;
