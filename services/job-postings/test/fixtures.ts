import { randomBytes } from 'node:crypto';
import { CREDIT_CODE_ALPHABET, makeCreditCode } from '@reemploy/domain/credit-code';
import type { build } from './helper.ts';

export type Svc = Awaited<ReturnType<typeof build>>;

export const COMMUNITY = '320508024043'; // 龙港苑社区, 吴门桥街道, 姑苏区
export const OTHER_DISTRICT_COMMUNITY = '320506001001';
export const WRITE = ['vacancies:write', 'vacancies:read', 'employers:write', 'employers:read'];

/** A fresh valid credit code registered in 姑苏区. */
export function creditCode(): string {
  const body = [...randomBytes(9)].map((b) => CREDIT_CODE_ALPHABET[b % CREDIT_CODE_ALPHABET.length]).join('');
  return makeCreditCode(`91320508${body}`);
}

export function employer(overrides: Record<string, unknown> = {}) {
  return { name: '苏州长发商厦有限公司', creditCode: creditCode(), communityCode: COMMUNITY, contactName: '李建国', contactPhone: '13912345678', ...overrides };
}

export function inDays(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString();
}

/** The same instant written with another UTC offset (in minutes), e.g. +20:00. */
export function withOffset(iso: string, minutes: number): string {
  const local = new Date(new Date(iso).getTime() + minutes * 60_000).toISOString().slice(0, 23);
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

export function vacancy(employerId: string, overrides: Record<string, unknown> = {}) {
  return {
    employerId,
    title: '商场保安员',
    occupationCode: '4-07-01',
    skills: ['S010-01', 'S010-02'],
    minAge: 18,
    maxAge: 55,
    educationMin: 'junior-secondary',
    wageMin: 3500,
    wageMax: 4500,
    headcount: 3,
    communityCode: COMMUNITY,
    kind: 'regular',
    source: 'coordinator',
    validUntil: inDays(30),
    ...overrides,
  };
}

export function auth(svc: Svc, scopes = WRITE, regions = ['320508']) {
  return { authorization: `Bearer ${svc.token(scopes, regions)}` };
}

export async function createEmployer(svc: Svc, overrides: Record<string, unknown> = {}): Promise<string> {
  const res = await svc.app.inject({ method: 'POST', url: '/v1/employers', headers: auth(svc), payload: employer(overrides) });
  if (res.statusCode !== 201) throw new Error(`employer not created: ${res.body}`);
  return res.json().id;
}

export async function createVacancy(svc: Svc, employerId: string, overrides: Record<string, unknown> = {}) {
  const res = await svc.app.inject({ method: 'POST', url: '/v1/vacancies', headers: auth(svc), payload: vacancy(employerId, overrides) });
  if (res.statusCode !== 201) throw new Error(`vacancy not created: ${res.body}`);
  return res.json();
}

export async function count(svc: Svc, table: string): Promise<number> {
  const { rows } = await svc.ctx.database.pool.query(`select count(*)::int as n from ${table}`);
  return rows[0].n;
}

export async function outboxTypes(svc: Svc, subject?: string): Promise<string[]> {
  const { rows } = await svc.ctx.database.pool.query(
    subject ? 'select type from outbox where subject = $1 order by seq' : 'select type from outbox order by seq',
    subject ? [subject] : [],
  );
  return rows.map((r: { type: string }) => r.type);
}
