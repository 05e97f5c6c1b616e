/**
 * The on-demand ranking thread: holds its own matcher over the projection and
 * rebuilds it when the projection changes, so a rebuild (a second or more of
 * CPU at city scale) never stalls the HTTP event loop. See ranker.ts.
 *
 * For GET matches it also reads the seeker (fresh from the projection, with the
 * year's unjustified declines) and writes the response body, so that the HTTP
 * thread only checks the caller's regions and sends the text.
 */
import { parentPort, workerData } from 'node:worker_threads';
import pg from 'pg';
import type { Match, MatchingConfig, SeekerInput } from '@reemploy/matching-engine';
import { MatcherCache, type VacancyIndex } from './cache.ts';
import { isActiveSeeker, isUuid, SEEKER_COLUMNS, toSeekerInput, type SeekerFields } from './inputs.ts';

export interface RankerData {
  url: string;
  schema: string;
  config: Partial<MatchingConfig>;
  refreshMs: number;
}
export type RankRequest = { id: number; seeker: SeekerInput; limit: number };
/** GET matches for a seeker by id: answered with `SeekerMatchesReply`. */
export type MatchesRequest = { id: number; seekerId: string; limit: number };
/**
 * No `body` when the seeker is not in the projection; the HTTP thread checks `communityCode` against the
 * caller's regions. The body is the response's JSON as UTF-8, its memory handed over with the message:
 * the HTTP thread neither copies nor encodes it.
 */
export type SeekerMatchesReply = { id: number; communityCode?: string; body?: Uint8Array; served?: number; error?: string };

/** The seekers and their unjustified declines this calendar year (as Suzhou counts it; see referrals/repository.ts). */
const SEEKERS_SQL = `
  select ${SEEKER_COLUMNS}, s.status, s.able_to_work, s.willing_to_work,
    (select count(*) from referrals r
      where r.seeker_id = s.seeker_id and r.status = 'declined' and r.justified = false
        and r.outcome_at >= (date_trunc('year', now() at time zone 'Asia/Shanghai') at time zone 'Asia/Shanghai'))::int as declines
  from seekers s where s.seeker_id = any($1::uuid[])`;

type SeekerRow = SeekerFields & { status: string; able_to_work: boolean; willing_to_work: boolean; declines: number };

/** The body of GET matches, with exactly the fields of the documented schema (matches/schemas.ts). */
export function seekerMatchesJson(row: SeekerRow, active: boolean, items: Match[]): string {
  return JSON.stringify({
    seekerId: row.seeker_id,
    communityCode: row.community_code,
    active,
    unjustifiedDeclinesThisYear: row.declines,
    items: items.map((m) => ({
      vacancyId: m.vacancyId,
      rank: m.rank,
      score: m.score,
      factors: {
        skills: m.factors.skills,
        occupation: m.factors.occupation,
        age: m.factors.age,
        wage: m.factors.wage,
        proximity: m.factors.proximity,
        priority: m.factors.priority,
      },
      reasons: m.reasons.map((r) => ({ code: r.code, zh: r.zh, en: r.en })),
    })),
  });
}

if (parentPort && workerData) {
  const port = parentPort;
  const data = workerData as RankerData;
  // Dates as the projection's text (YYYY-MM-DD), as @reemploy/db sets them on the HTTP thread: ages are computed from it.
  pg.types.setTypeParser(1082, (v) => v);
  const pool = new pg.Pool({ connectionString: data.url, max: 2, application_name: `${data.schema}-ranker`, options: `-c search_path=${data.schema},public`, idleTimeoutMillis: 30_000 });
  // An idle connection cut (Postgres restarted) must not end the thread: the next query reconnects.
  pool.on('error', () => undefined);
  const cache = new MatcherCache(pool, data.config, data.refreshMs);

  const utf8 = new TextEncoder();
  const answer = (msg: MatchesRequest, row: SeekerRow | undefined, index: VacancyIndex | undefined): SeekerMatchesReply => {
    if (!row) return { id: msg.id };
    const active = isActiveSeeker(row);
    const items = active && index ? index.matcher.rankForSeeker(toSeekerInput(row), msg.limit) : [];
    return { id: msg.id, communityCode: row.community_code, body: utf8.encode(seekerMatchesJson(row, active, items)), served: items.length };
  };

  // GET matches that arrive while the projection is being read wait for the next read, which
  // serves them all at once: under a burst, one query for many seekers instead of one each.
  let waiting: MatchesRequest[] = [];
  let reading = false;
  const readWaiting = (): void => {
    if (reading || !waiting.length) return;
    const batch = waiting;
    waiting = [];
    reading = true;
    const ids = [...new Set(batch.map((m) => m.seekerId.toLowerCase()).filter(isUuid))];
    (async () => {
      const { rows } = ids.length ? await pool.query<SeekerRow>({ name: 'seekers-matches', text: SEEKERS_SQL, values: [ids] }) : { rows: [] };
      const byId = new Map(rows.map((r) => [r.seeker_id, r]));
      const index = rows.some(isActiveSeeker) ? await cache.vacancyIndex() : undefined;
      for (const msg of batch) {
        let reply: SeekerMatchesReply;
        try {
          reply = answer(msg, byId.get(msg.seekerId.toLowerCase()), index);
        } catch (err) {
          reply = { id: msg.id, error: (err as Error).message };
        }
        port.postMessage(reply, reply.body ? [reply.body.buffer as ArrayBuffer] : []);
      }
    })()
      .catch((err: Error) => {
        for (const msg of batch) port.postMessage({ id: msg.id, error: err.message });
      })
      .finally(() => {
        reading = false;
        readWaiting();
      });
  };

  port.on('message', (msg: RankRequest | MatchesRequest | 'close') => {
    if (msg === 'close') {
      pool.end().finally(() => port.close());
      return;
    }
    if ('seekerId' in msg) {
      waiting.push(msg);
      readWaiting();
      return;
    }
    cache.vacancyIndex().then(
      (index) => port.postMessage({ id: msg.id, items: index.matcher.rankForSeeker(msg.seeker, msg.limit) }),
      (err: Error) => port.postMessage({ id: msg.id, error: err.message }),
    );
  });
}
