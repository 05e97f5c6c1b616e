import t from 'tap';
import { randomBytes, randomUUID } from 'node:crypto';
import { createDatabase, dropSchema, migrateToLatest } from '@reemploy/db';
import { TEST_DATABASE_URL } from '@reemploy/runtime/testing';
import { recordDeliveries, webhooksMigration20261129, webhooksMigration20261207, type WebhookTables } from '@reemploy/webhooks';
import { seeker } from '../../services/matching/test/fixtures.ts';

t.test('subscriptions made before deliveries knew regions receive nothing after the migration, and old rows keep only ids', async (t) => {
  const schema = `webhooks_migration_t${randomBytes(4).toString('hex')}`;
  const database = createDatabase<WebhookTables>({ url: TEST_DATABASE_URL, schema, poolMax: 2 });
  t.teardown(async () => {
    await dropSchema(database.db as never, schema);
    await database.close();
  });
  const before = { '2026-11-29-00-webhooks': webhooksMigration20261129 };
  await migrateToLatest(database.db as never, schema, before);
  const { pool } = database;
  const subscription = randomUUID();
  const snapshot = seeker({ status: 'employed', hardshipCategories: ['OLDER_4050'] });
  await pool.query(`insert into webhook_subscriptions (id, owner, url, secret_enc, event_types) values ($1, 'old-system', 'http://127.0.0.1:6379/', 'x', '{seeker.re-employed}')`, [subscription]);
  await pool.query(
    `insert into webhook_deliveries (id, subscription_id, event_id, event_type, subject, seq, body, status, last_status, last_error)
     values ($1, $2, $3, 'seeker.re-employed', $4, 1, $5, 'pending', 500, '-ERR redis_version:7.0.15')`,
    [randomUUID(), subscription, randomUUID(), snapshot.seekerId, JSON.stringify({ id: 'e', type: 'seeker.re-employed', subject: snapshot.seekerId, data: snapshot })],
  );

  await migrateToLatest(database.db as never, schema, { ...before, '2026-12-07-00-webhook-audience': webhooksMigration20261207 });
  const { rows: subs } = await pool.query('select active, regions, aid_base, scopes from webhook_subscriptions');
  t.same(subs, [{ active: false, regions: [], aid_base: null, scopes: [] }], 'switched off, with no regions');
  const { rows: deliveries } = await pool.query('select * from webhook_deliveries');
  t.notOk('last_error' in deliveries[0] || 'last_status' in deliveries[0], "the receiver's words and status are gone");
  t.equal(deliveries[0].last_failure, null);
  t.same(JSON.parse(deliveries[0].body), { id: 'e', type: 'seeker.re-employed', subject: snapshot.seekerId }, 'the stored body keeps ids only');

  const event = { id: randomUUID(), type: 'seeker.employment-changed', version: 1, producer: 'registration' as const, seq: 2, subject: snapshot.seekerId, occurredAt: new Date().toISOString(), payload: snapshot };
  t.same(await recordDeliveries(database.db, [event]), [], 'a new event reaches no old subscription');
  await pool.query('update webhook_subscriptions set active = true');
  t.same(await recordDeliveries(database.db, [event]), [], 'nor would it, switched on again, without regions and scopes');
});
