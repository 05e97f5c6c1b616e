import type { FastifyPluginAsync } from 'fastify';
import type { Kysely } from 'kysely';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { BaseEnv, Secrets } from '@reemploy/config';
import type { Database, MigrationSet } from '@reemploy/db';
import type { QueueName, ServiceName } from '@reemploy/events';
import type { EventHandlers, MessagingTables } from '@reemploy/messaging';
import type { PiiCipher } from '@reemploy/pii';
import type { EncryptedColumns } from './pii-rotation.ts';

/** What a service's code gets to work with: its stores, keys and settings. */
export interface ServiceContext<DB extends MessagingTables = MessagingTables, Env extends BaseEnv = BaseEnv> {
  service: ServiceName;
  env: Env;
  secrets: Secrets;
  database: Database<DB>;
  db: Kysely<DB>;
  /** Fail-fast producer connection for enqueueing from requests. */
  redis: Redis;
  queuePrefix: string;
  pii: PiiCipher;
  logger: Logger;
}

/** A service's context, whatever its tables (Kysely's types are invariant in them). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyServiceContext = ServiceContext<any, BaseEnv>;

export interface Closable {
  close(): Promise<void>;
  /** BullMQ workers behind this closable, for the worker process's metrics. */
  workers?: unknown[];
}

/**
 * What makes one service besides its HTTP routes, as data: its name, environment,
 * schema, start-up step, event handlers and workers. The entry points, the test
 * helper and `pnpm migrate` read it; its HTTP app is the plugin of its src/app.ts.
 */
export interface ServiceDefinition<DB extends MessagingTables = MessagingTables, Env extends BaseEnv = BaseEnv> {
  name: ServiceName;
  parseEnv(env: NodeJS.ProcessEnv): Env;
  migrations: MigrationSet;
  /**
   * Start-up work after the migrations and before any route or worker runs
   * (reference data, say): run by the server, the worker, the test helper and
   * `pnpm migrate`. Keeps the app light, so plugin start-up never times out.
   */
  prepare?(ctx: ServiceContext<DB, Env>): Promise<void>;
  /** Its HTTP app (src/app.ts): every plugin the service registers, the platform's included. */
  app: FastifyPluginAsync<{ ctx: ServiceContext<DB, Env> }>;
  /** Events it consumes. */
  eventHandlers?(ctx: ServiceContext<DB, Env>): EventHandlers<DB>;
  /** Its other queue consumers and schedulers (started only by worker.ts). */
  startWorkers?(ctx: ServiceContext<DB, Env>, workerRedis: Redis): Promise<Closable[]>;
  /** Its own queues besides its events and maintenance (the queue board and the worker's metrics show them). */
  queues?: QueueName[];
  /** Whether it publishes events through an outbox relay. */
  publishesEvents: boolean;
  /** Its tables' encrypted columns (key rotation re-encrypts them; the platform's own are added). */
  encryptedColumns?: EncryptedColumns[];
}
