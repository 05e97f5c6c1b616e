import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { BaseEnv, Secrets } from '@reemploy/config';
import type { Database, MigrationSet } from '@reemploy/db';
import type { ServiceName } from '@reemploy/events';
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

export interface Closable {
  close(): Promise<void>;
  /** BullMQ workers behind this closable, for the worker process's metrics. */
  workers?: unknown[];
}

/** Everything that makes one service, as data: the entry points read it. */
export interface ServiceDefinition<DB extends MessagingTables = MessagingTables, Env extends BaseEnv = BaseEnv> {
  name: ServiceName;
  title: string;
  description: string;
  version: string;
  /** The environment variable holding this service's port. */
  portVar: string;
  parseEnv(env: NodeJS.ProcessEnv): Env;
  migrations: MigrationSet;
  tags?: { name: string; description: string }[];
  /**
   * Start-up work after the migrations and before any route or worker runs
   * (reference data, say): run by the server, the worker, the test helper and
   * `pnpm migrate`. Keeps routes() light, so plugin start-up never times out.
   */
  prepare?(ctx: ServiceContext<DB, Env>): Promise<void>;
  /** The service's routes, registered after the platform. */
  routes(app: FastifyInstance, ctx: ServiceContext<DB, Env>): Promise<void>;
  /** Events it consumes. */
  eventHandlers?(ctx: ServiceContext<DB, Env>): EventHandlers<DB>;
  /** Its other queue consumers and schedulers (started only by worker.ts). */
  startWorkers?(ctx: ServiceContext<DB, Env>, workerRedis: Redis): Promise<Closable[]>;
  /** Whether it publishes events through an outbox relay. */
  publishesEvents: boolean;
  /** Its tables' encrypted columns (key rotation re-encrypts them; the platform's own are added). */
  encryptedColumns?: EncryptedColumns[];
}
