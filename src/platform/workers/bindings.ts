/*
 * The few Cloudflare runtime types this deployment uses, declared here rather than pulling in
 * @cloudflare/workers-types, whose globals would clash with @types/node in the one tsconfig.
 * Shapes follow the Workers runtime API reference (D1, Queues, Cron Triggers).
 */

export interface D1Result<T = Record<string, unknown>> {
  results: T[];
  success: boolean;
  meta: { changes: number; duration: number; last_row_id: number; rows_read?: number; rows_written?: number };
}

export interface D1PreparedStatement {
  bind(...values: unknown[]): D1PreparedStatement;
  first<T = Record<string, unknown>>(column?: string): Promise<T | null>;
  run<T = Record<string, unknown>>(): Promise<D1Result<T>>;
  all<T = Record<string, unknown>>(): Promise<D1Result<T>>;
  raw<T = unknown[]>(): Promise<T[]>;
}

export interface D1Database {
  prepare(query: string): D1PreparedStatement;
  batch<T = Record<string, unknown>>(statements: D1PreparedStatement[]): Promise<D1Result<T>[]>;
  exec(query: string): Promise<{ count: number; duration: number }>;
}

export interface QueueSendOptions {
  /** Seconds before the message is delivered (0 to 43,200). */
  delaySeconds?: number;
}

export interface Queue<Body = unknown> {
  send(body: Body, options?: QueueSendOptions): Promise<void>;
  sendBatch(messages: Iterable<{ body: Body; delaySeconds?: number }>, options?: QueueSendOptions): Promise<void>;
}

export interface Message<Body = unknown> {
  readonly id: string;
  readonly timestamp: Date;
  readonly body: Body;
  /** Delivery count, starting at 1. */
  readonly attempts: number;
  ack(): void;
  retry(options?: { delaySeconds?: number }): void;
}

export interface MessageBatch<Body = unknown> {
  readonly queue: string;
  readonly messages: readonly Message<Body>[];
  ackAll(): void;
  retryAll(options?: { delaySeconds?: number }): void;
}

export interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
  passThroughOnException(): void;
}

export interface ScheduledController {
  readonly scheduledTime: number;
  readonly cron: string;
  noRetry(): void;
}

/** A service-like binding, such as static assets. */
export interface Fetcher {
  fetch(request: Request): Promise<Response>;
}

/** The Worker's bindings (wrangler.toml) plus its vars and secrets. */
export interface WorkerEnv {
  DB: D1Database;
  WORK_QUEUE: Queue;
  /** The web console's files; absent when deployed without them. */
  ASSETS?: Fetcher;
  /** Vars and secrets: the same names as the Node deployment's environment (src/config.ts). */
  [name: string]: unknown;
}
