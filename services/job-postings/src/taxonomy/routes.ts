import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { decodeCursor, encodeCursor, pageOf, pageQuery, problems } from '@reemploy/http-kit';
import { getOccupation, getOccupationGroup, getSkill, searchOccupations, searchSkills, type Occupation, type Skill } from '@reemploy/taxonomy';

const names = { nameZh: z.string().describe('Simplified Chinese (traditional with Accept-Language: zh-Hant)'), nameEn: z.string() };
const occupationView = z
  .object({ code: z.string(), ...names, group: z.string(), groupNameZh: z.string(), groupNameEn: z.string(), skills: z.array(z.string()), aliases: z.array(z.string()) })
  .meta({ id: 'Occupation' });
const skillView = z.object({ code: z.string(), ...names, family: z.string() }).meta({ id: 'Skill' });

const searchQuery = pageQuery.extend({
  q: z.string().trim().max(100).optional().describe('Chinese (simplified or traditional), English or code prefix; case-insensitive'),
});
const offsetCursor = z.object({ offset: z.int().min(0) });

function occupationOut(o: Occupation) {
  const group = getOccupationGroup(o.code.slice(0, 4));
  return { ...o, skills: [...o.skills], aliases: [...o.aliases], group: o.code.slice(0, 4), groupNameZh: group?.nameZh ?? '', groupNameEn: group?.nameEn ?? '' };
}

function skillOut(s: Skill) {
  return { ...s, family: s.code.slice(0, 4) };
}

/** Best matches first, paged by position in that ranking (the taxonomy is fixed per release). */
function page<T, V>(all: T[], limit: number, cursor: string | undefined, out: (t: T) => V) {
  const offset = decodeCursor(cursor, offsetCursor)?.offset ?? 0;
  const items = all.slice(offset, offset + limit).map(out);
  return { items, nextCursor: offset + limit < all.length ? encodeCursor({ offset: offset + limit }) : null };
}

export async function taxonomyRoutes(app: FastifyInstance) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const common = { config: { scope: 'vacancies:read' } };

  api.get('/v1/taxonomy/occupations', {
    ...common,
    schema: {
      operationId: 'listOccupations',
      tags: ['taxonomy'],
      summary: 'Occupations (GB/T 6565 major groups), searchable by Chinese or English name',
      querystring: searchQuery,
      response: { 200: pageOf(occupationView).meta({ id: 'OccupationPage' }) },
    },
    handler: async (request) => page(searchOccupations(request.query.q ?? ''), request.query.limit, request.query.cursor, occupationOut),
  });

  api.get('/v1/taxonomy/occupations/:code', {
    ...common,
    schema: { operationId: 'getOccupation', tags: ['taxonomy'], summary: 'One occupation', params: z.object({ code: z.string().max(20) }), response: { 200: occupationView } },
    handler: async (request) => {
      const o = getOccupation(request.params.code);
      if (!o) throw problems.notFound(`Occupation ${request.params.code}`);
      return occupationOut(o);
    },
  });

  api.get('/v1/taxonomy/skills', {
    ...common,
    schema: {
      operationId: 'listSkills',
      tags: ['taxonomy'],
      summary: 'Skills, searchable by Chinese or English name',
      querystring: searchQuery,
      response: { 200: pageOf(skillView).meta({ id: 'SkillPage' }) },
    },
    handler: async (request) => page(searchSkills(request.query.q ?? ''), request.query.limit, request.query.cursor, skillOut),
  });

  api.get('/v1/taxonomy/skills/:code', {
    ...common,
    schema: { operationId: 'getSkill', tags: ['taxonomy'], summary: 'One skill', params: z.object({ code: z.string().max(20) }), response: { 200: skillView } },
    handler: async (request) => {
      const s = getSkill(request.params.code);
      if (!s) throw problems.notFound(`Skill ${request.params.code}`);
      return skillOut(s);
    },
  });
}
