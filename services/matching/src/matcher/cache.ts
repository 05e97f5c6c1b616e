import type pg from 'pg';
import { cityDate } from '@reemploy/domain';
import { createMatcher, type Matcher, type MatchingConfig, type SeekerInput, type VacancyInput } from '@reemploy/matching-engine';
import { activeSeekerSql, loadVacancyInputs, SEEKER_COLUMNS, toSeekerInput, type SeekerFields } from './inputs.ts';

interface Snapshot<T> {
  version: string;
  value: T;
  checkedAt: number;
  builtAt: number;
}

// Ages and vacancy dates move with the clock, not with events: rebuild at least this often.
const MAX_AGE_MS = 10 * 60_000;

/**
 * One value derived from the projection, rebuilt when the projection's
 * version changes. Requests never wait for a rebuild once a first value
 * exists: they get the previous one while the new one is built.
 */
class Refreshing<T> {
  private snapshot: Snapshot<T> | undefined;
  private building: Promise<Snapshot<T>> | undefined;

  constructor(
    private readonly refreshMs: number,
    private readonly versionOf: () => Promise<string>,
    private readonly build: () => Promise<T>,
  ) {}

  async get(): Promise<T> {
    const now = Date.now();
    const s = this.snapshot;
    if (!s) return (await this.rebuild()).value;
    if (now - s.checkedAt < this.refreshMs) return s.value;
    s.checkedAt = now;
    const stale = now - s.builtAt > MAX_AGE_MS || (await this.versionOf()) !== s.version;
    if (!stale) return s.value;
    if (this.refreshMs === 0) return (await this.rebuild()).value;
    this.rebuild().catch(() => undefined);
    return s.value;
  }

  /** Builds now (joining a build in progress). */
  rebuild(): Promise<Snapshot<T>> {
    this.building ??= (async () => {
      try {
        const version = await this.versionOf();
        const value = await this.build();
        const now = Date.now();
        this.snapshot = { version, value, checkedAt: now, builtAt: now };
        return this.snapshot;
      } finally {
        this.building = undefined;
      }
    })();
    return this.building;
  }
}

export interface VacancyIndex {
  matcher: Matcher;
  vacancies: Map<string, VacancyInput>;
}

/** The per-process matcher for on-demand requests, kept in step with the projection. */
export class MatcherCache {
  private readonly index: Refreshing<VacancyIndex>;
  private readonly seekers: Refreshing<SeekerInput[]>;

  constructor(pool: pg.Pool, config: Partial<MatchingConfig>, refreshMs: number) {
    const version = (sqlText: string) => async () => {
      const { rows } = await pool.query<{ v: string }>(sqlText);
      return rows[0]?.v ?? '';
    };
    this.index = new Refreshing(
      refreshMs,
      // updated_at too: a hire takes a place in the projection before job-postings' next snapshot of the vacancy.
      version(`select concat_ws('/', (select max(source_seq) from vacancies), (select max(updated_at) from vacancies), (select max(source_seq) from reserved_posts), (select count(*) from vacancies)) as v`),
      async () => {
        const vacancies = await loadVacancyInputs(pool);
        return { matcher: createMatcher(vacancies, config), vacancies: new Map(vacancies.map((v) => [v.id, v])) };
      },
    );
    this.seekers = new Refreshing(
      refreshMs,
      version(`select concat_ws('/', (select max(source_seq) from seekers), (select max(categories_seq) from seekers), (select count(*) from seekers)) as v`),
      async () => {
        const today = cityDate();
        const { rows } = await pool.query<SeekerFields>(`select ${SEEKER_COLUMNS} from seekers where ${activeSeekerSql(today)} order by seeker_id`);
        return rows.map((r) => toSeekerInput(r, today));
      },
    );
  }

  vacancyIndex(): Promise<VacancyIndex> {
    return this.index.get();
  }

  /** For a vacancy the snapshot does not know yet: build again now. */
  async freshVacancyIndex(): Promise<VacancyIndex> {
    return (await this.index.rebuild()).value;
  }

  activeSeekers(): Promise<SeekerInput[]> {
    return this.seekers.get();
  }
}
