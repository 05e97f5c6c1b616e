/**
 * The batch reads its inputs and staged lists through COPY (`copyOutText`,
 * `copyOutBinary`): the readers must give back exactly what a query would, for
 * awkward values too (tabs, newlines, backslashes, quotes, NULLs, empty arrays,
 * non-ASCII text, large binary values).
 */
import t from 'tap';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { copyOutBinary, copyOutText, copyTextCell, createDatabase, parseTextArray } from '@reemploy/db';
import { TEST_DATABASE_URL } from '@reemploy/runtime/testing';

async function setup(t: { teardown(fn: () => unknown): void }) {
  const schema = `copy_out_${randomBytes(4).toString('hex')}`;
  const database = createDatabase<Record<string, never>>({ url: TEST_DATABASE_URL, schema, poolMax: 2 });
  await sql`create schema ${sql.id(schema)}`.execute(database.db);
  t.teardown(async () => {
    await sql`drop schema ${sql.id(schema)} cascade`.execute(database.db);
    await database.close();
  });
  return { pool: database.pool, table: `"${schema}".things` };
}

const AWKWARD = ['plain', 'tab\there', 'new\nline', 'back\\slash', 'quote"d', 'comma,inside', 'brace{}', ' spaced ', '', 'NULL', '苏州 工业园区', 'cr\rlf'];

t.test('text COPY gives back every cell and array element as a query does', async (t) => {
  const { pool, table } = await setup(t);
  await pool.query(`create table ${table} (id int primary key, label text, tags text[], n integer)`);
  for (const [i, s] of AWKWARD.entries()) {
    await pool.query(`insert into ${table} values ($1, $2, $3, $4)`, [i, s, [s, 'S012-03', s], i % 3 === 0 ? null : i * 1000]);
  }
  await pool.query(`insert into ${table} values (100, null, '{}', null)`);
  const expected = (await pool.query<{ id: number; label: string | null; tags: string[]; n: number | null }>(`select * from ${table} order by id`)).rows;
  const rows = await copyOutText(pool, `select id, label, tags, n from ${table} order by id`);
  t.equal(rows.length, expected.length);
  t.same(
    rows.map((r) => ({ id: Number(r[0]), label: r[1], tags: parseTextArray(r[2]!), n: r[3] === null ? null : Number(r[3]) })),
    expected,
  );
});

t.test('a text array with a NULL element, or text that is no array, is refused rather than misread', async (t) => {
  t.throws(() => parseTextArray('{a,NULL}'), /NULL/);
  t.throws(() => parseTextArray('a,b'), /not an array/);
  t.same(parseTextArray('{"NULL"}'), ['NULL'], 'the quoted word NULL is text');
  t.equal(copyTextCell('\\N'), null);
  t.equal(copyTextCell('a\\tb\\\\c\\x41\\101'), 'a\tb\\cAA', 'every escape COPY may write');
});

t.test('binary COPY gives back large values byte for byte, NULLs as null', async (t) => {
  const { pool, table } = await setup(t);
  await pool.query(`create table ${table} (id int primary key, packed bytea)`);
  const values = [randomBytes(3_000_000), Buffer.alloc(0), null, randomBytes(17)];
  for (const [i, v] of values.entries()) await pool.query(`insert into ${table} values ($1, $2)`, [i, v]);
  const rows = await copyOutBinary(pool, `select packed, id from ${table} order by id`);
  t.equal(rows.length, values.length);
  for (const [i, v] of values.entries()) {
    t.same(rows[i]![0] === null ? null : Buffer.compare(rows[i]![0]!, v ?? Buffer.alloc(0)) === 0, v === null ? null : true, `value ${i}`);
    t.equal(rows[i]![1]!.readInt32BE(0), i, 'the next cell follows the large one');
  }
  t.same(await copyOutBinary(pool, `select packed from ${table} where false`), [], 'no rows');
  await t.rejects(copyOutText(pool, `select nonsense from ${table}`), /nonsense/, 'a bad query fails');
  const client = await pool.connect();
  try {
    t.same((await copyOutText(client, 'select 1, 2')).map((r) => r.map(Number)), [[1, 2]], 'works on a client as on the pool');
  } finally {
    client.release();
  }
});
