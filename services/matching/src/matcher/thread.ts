/**
 * The on-demand ranking thread: holds its own matcher over the projection and
 * rebuilds it when the projection changes, so a rebuild (a second or more of
 * CPU at city scale) never stalls the HTTP event loop. See ranker.ts.
 *
 * For GET matches it also reads the seeker (fresh from the projection, with the
 * year's unjustified declines) and writes the response body, so that the HTTP
 * thread only checks the caller's regions and sends the text.
 */
import { createDatabase, type SessionLimits } from '@reemploy/db';
import { cityDate, cityYearStart } from '@reemploy/domain';
import type { Match, MatchingConfig, Reason, SeekerInput } from '@reemploy/matching-engine';
import { transferring } from '@reemploy/runtime/cpu-pool';
import { MatcherCache, type VacancyIndex } from './cache.ts';
import { ACTIVITY_COLUMNS, isActiveSeeker, isUuid, SEEKER_COLUMNS, toSeekerInput, type ActivityFields, type SeekerFields } from './inputs.ts';

export interface RankerData {
  url: string;
  schema: string;
  config: Partial<MatchingConfig>;
  refreshMs: number;
  limits: SessionLimits;
}
/** A seeker ranked: answered with its matches. */
export type RankRequest = { kind: 'rank'; seeker: SeekerInput; limit: number };
/** GET matches for a seeker by id: answered with `SeekerMatchesReply`. */
export type MatchesRequest = { kind: 'matches'; seekerId: string; limit: number };
/** `warm` starts the thread (answered at once); `close` closes its database pool before the thread ends. */
export type RankerTask = RankRequest | MatchesRequest | { kind: 'warm' | 'close' };
/**
 * No `body` when the seeker is not in the projection; the HTTP thread checks `communityCode` against the
 * caller's regions. The body is the response's JSON as UTF-8, its memory handed over with the reply:
 * the HTTP thread neither copies nor encodes it.
 */
export type SeekerMatchesReply = { communityCode?: string; body?: Uint8Array; served: number };

/** The seekers and their unjustified declines since $2, the start of the city's calendar year. */
const SEEKERS_SQL = `
  select ${SEEKER_COLUMNS}, ${ACTIVITY_COLUMNS},
    (select count(*) from referrals r
      where r.seeker_id = s.seeker_id and r.status = 'declined' and r.justified = false
        and r.outcome_at >= $2)::int as declines
  from seekers s where s.seeker_id = any($1::uuid[])`;

type SeekerRow = SeekerFields & ActivityFields & { declines: number };

// Each reason is a shared frozen object (see the engine's reasons.ts): its JSON is written once.
const reasonJson = new WeakMap<Reason, string>();
const reasonText = (r: Reason): string => {
  let text = reasonJson.get(r);
  if (text === undefined) {
    text = JSON.stringify({ code: r.code, zh: r.zh, en: r.en });
    reasonJson.set(r, text);
  }
  return text;
};
// As JSON.stringify writes a number (the factors and scores are always finite).
const num = (x: number): string => (Number.isFinite(x) ? String(x) : 'null');

/**
 * The body of GET matches, with exactly the fields of the documented schema (matches/schemas.ts),
 * byte for byte what the route's compiled response schema writes (test/matches-body.test.ts,
 * test/ranker.test.ts). Written by hand: most of a body is its reasons, and the same few reasons
 * recur in every list; the compiled schema writes each again, several times slower, and would do it
 * on the HTTP thread after copying the answer over (docs/benchmarks.md, answer writing).
 */
export function seekerMatchesJson(row: SeekerRow, active: boolean, items: Match[]): string {
  let out = `{"seekerId":${JSON.stringify(row.seeker_id)},"communityCode":${JSON.stringify(row.community_code)},"active":${active},"unjustifiedDeclinesThisYear":${num(row.declines)},"items":[`;
  for (let i = 0; i < items.length; i++) {
    const m = items[i]!;
    const f = m.factors;
    out += `${i ? ',' : ''}{"vacancyId":${JSON.stringify(m.vacancyId)},"rank":${num(m.rank)},"score":${num(m.score)},"factors":{"skills":${num(f.skills)},"occupation":${num(f.occupation)},"age":${num(f.age)},"wage":${num(f.wage)},"proximity":${num(f.proximity)},"priority":${num(f.priority)}},"reasons":[`;
    for (let j = 0; j < m.reasons.length; j++) out += (j ? ',' : '') + reasonText(m.reasons[j]!);
    out += ']}';
  }
  return `${out}]}`;
}

/** The ranking thread's state, made once per thread from the ranker's data, and the handler of its tasks. */
export default function rankingThread(data: RankerData) {
  // The service's pool settings (dates as text, session limits); an idle connection cut (Postgres
  // restarted) does not end the thread: the next query reconnects.
  const database = createDatabase({ url: data.url, schema: data.schema, poolMax: 2, applicationName: `${data.schema}-ranker`, limits: data.limits });
  const pool = database.pool;
  const cache = new MatcherCache(pool, data.config, data.refreshMs);

  const utf8 = new TextEncoder();
  const answer = (msg: MatchesRequest, row: SeekerRow | undefined, index: VacancyIndex | undefined, today: string): SeekerMatchesReply => {
    if (!row) return { served: 0 };
    const active = isActiveSeeker(row, today);
    const items = active && index ? index.matcher.rankForSeeker(toSeekerInput(row, today), msg.limit) : [];
    const body = utf8.encode(seekerMatchesJson(row, active, items));
    return transferring({ communityCode: row.community_code, body, served: items.length }, [body.buffer as ArrayBuffer]);
  };

  // GET matches that arrive while the projection is being read wait for the next read, which
  // serves them all at once: under a burst, one query for many seekers instead of one each.
  type Waiting = { msg: MatchesRequest; resolve(reply: SeekerMatchesReply): void; reject(err: Error): void };
  let waiting: Waiting[] = [];
  let reading = false;
  const readWaiting = (): void => {
    if (reading || !waiting.length) return;
    const batch = waiting;
    waiting = [];
    reading = true;
    const ids = [...new Set(batch.map((w) => w.msg.seekerId.toLowerCase()).filter(isUuid))];
    (async () => {
      const { rows } = ids.length ? await pool.query<SeekerRow>({ name: 'seekers-matches', text: SEEKERS_SQL, values: [ids, cityYearStart()] }) : { rows: [] };
      const byId = new Map(rows.map((r) => [r.seeker_id, r]));
      const today = cityDate();
      const index = rows.some((r) => isActiveSeeker(r, today)) ? await cache.vacancyIndex() : undefined;
      for (const w of batch) {
        try {
          w.resolve(answer(w.msg, byId.get(w.msg.seekerId.toLowerCase()), index, today));
        } catch (err) {
          w.reject(err as Error);
        }
      }
    })()
      .catch((err: Error) => {
        for (const w of batch) w.reject(err);
      })
      .finally(() => {
        reading = false;
        readWaiting();
      });
  };

  return async (task: RankerTask): Promise<Match[] | SeekerMatchesReply | undefined> => {
    switch (task.kind) {
      case 'rank':
        return (await cache.vacancyIndex()).matcher.rankForSeeker(task.seeker, task.limit);
      case 'matches':
        return new Promise<SeekerMatchesReply>((resolve, reject) => {
          waiting.push({ msg: task, resolve, reject });
          readWaiting();
        });
      case 'close':
        await database.close();
        return undefined;
      case 'warm':
        return undefined;
    }
  };
}
