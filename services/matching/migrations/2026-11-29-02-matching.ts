import { sql, type Kysely } from 'kysely';

/**
 * Vacancies and reserved posts as matching sees them, the runs of the batch
 * with their staging and results, and referrals.
 */
export async function up(db: Kysely<unknown>) {
  // Household events fence the categories separately from the rest of the snapshot.
  await sql`alter table seekers add column categories_seq bigint not null default 0`.execute(db);
  await sql`create index seekers_source_seq on seekers (source_seq)`.execute(db);
  await sql`create index seekers_categories_seq on seekers (categories_seq)`.execute(db);
  await sql`create index seekers_household on seekers (household_id)`.execute(db);

  await sql`
    create table vacancies (
      vacancy_id uuid primary key,
      -- A small stable number per vacancy: the batch's staged candidate lists store it instead of the uuid.
      vacancy_no integer generated always as identity unique,
      employer_id uuid not null,
      title text not null,
      occupation_code text not null,
      skills text[] not null,
      min_age integer not null,
      max_age integer not null,
      education_min text not null,
      wage_min integer not null,
      wage_max integer not null,
      headcount integer not null,
      headcount_left integer not null,
      community_code text not null,
      kind text not null,
      source text not null,
      reserved_for text[] not null,
      status text not null,
      valid_until timestamptz not null,
      source_seq bigint not null,
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index vacancies_source_seq on vacancies (source_seq)`.execute(db);
  await sql`create index vacancies_open on vacancies (community_code) where status = 'open' and headcount_left > 0`.execute(db);

  await sql`
    create table reserved_posts (
      reserved_post_id uuid primary key,
      aid_base_id uuid not null,
      vacancy_id uuid not null,
      reserved_for text[] not null,
      quota integer not null,
      filled integer not null,
      status text not null,
      source_seq bigint not null,
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index reserved_posts_vacancy on reserved_posts (vacancy_id)`.execute(db);
  await sql`create index reserved_posts_source_seq on reserved_posts (source_seq)`.execute(db);

  await sql`
    create table matching_runs (
      id uuid primary key,
      region_code text,
      trigger text not null,
      requested_by text not null,
      -- One scheduled run per calendar day (Asia/Shanghai), however many schedulers fire.
      run_date date unique,
      status text not null,
      partitions_total integer not null default 0,
      partitions_done integer not null default 0,
      seekers integer not null default 0,
      vacancies integer not null default 0,
      candidates bigint not null default 0,
      pairs_scored bigint not null default 0,
      recommendations integer not null default 0,
      timings jsonb not null default '{}',
      error text,
      created_at timestamptz not null default now(),
      started_at timestamptz,
      finished_at timestamptz
    )`.execute(db);
  await sql`create index matching_runs_created on matching_runs (created_at desc, id desc)`.execute(db);
  await sql`create index matching_runs_completed on matching_runs (finished_at desc) where status = 'completed'`.execute(db);

  await sql`
    create table run_partitions (
      run_id uuid not null references matching_runs (id) on delete cascade,
      partition_key text not null,
      seekers integer not null default 0,
      pairs_scored bigint not null default 0,
      compute_ms integer,
      done_at timestamptz,
      primary key (run_id, partition_key)
    )`.execute(db);

  // Candidate lists per seeker, packed (see runs/packing.ts); unlogged: a crash only means rerunning the run.
  await sql`
    create unlogged table run_candidates (
      run_id uuid not null,
      seeker_id uuid not null,
      community_code text not null,
      age smallint not null,
      education text not null,
      hardship_categories text[] not null,
      packed bytea not null,
      primary key (run_id, seeker_id)
    )`.execute(db);

  await sql`
    create table recommendations (
      run_id uuid not null references matching_runs (id) on delete cascade,
      seeker_id uuid not null,
      community_code text not null,
      tier smallint not null,
      vacancy_ids uuid[] not null,
      scores real[] not null,
      primary key (run_id, seeker_id)
    )`.execute(db);
  await sql`create index recommendations_community on recommendations (run_id, community_code text_pattern_ops, seeker_id)`.execute(db);

  await sql`
    create table referrals (
      id uuid primary key,
      seeker_id uuid not null,
      vacancy_id uuid not null,
      household_id uuid,
      community_code text not null,
      vacancy_community_code text not null,
      referred_by text not null,
      created_by text not null,
      is_priority_offer boolean not null,
      status text not null,
      reason text,
      justified boolean,
      note text,
      created_at timestamptz not null default now(),
      outcome_at timestamptz,
      version integer not null default 1
    )`.execute(db);
  await sql`create unique index referrals_one_pending on referrals (seeker_id, vacancy_id) where status = 'pending'`.execute(db);
  await sql`create index referrals_pending_age on referrals (created_at) where status = 'pending'`.execute(db);
  await sql`create index referrals_seeker on referrals (seeker_id, created_at)`.execute(db);
  await sql`create index referrals_list on referrals (created_at desc, id desc)`.execute(db);
}

export async function down(db: Kysely<unknown>) {
  for (const table of ['referrals', 'recommendations', 'run_candidates', 'run_partitions', 'matching_runs', 'reserved_posts', 'vacancies']) {
    await sql`drop table ${sql.table(table)}`.execute(db);
  }
  await sql`drop index seekers_household`.execute(db);
  await sql`drop index seekers_categories_seq`.execute(db);
  await sql`drop index seekers_source_seq`.execute(db);
  await sql`alter table seekers drop column categories_seq`.execute(db);
}
