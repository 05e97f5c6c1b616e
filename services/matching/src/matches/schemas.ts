import { z } from 'zod';

export const factorsView = z
  .object({
    skills: z.number(),
    occupation: z.number(),
    age: z.number(),
    wage: z.number(),
    proximity: z.number(),
    priority: z.number(),
  })
  .meta({ id: 'MatchFactors', description: 'Each factor in 0–1 before weighting' });

export const reasonView = z.object({ code: z.string(), zh: z.string(), en: z.string() }).meta({ id: 'MatchReason' });

export const matchView = z
  .object({
    vacancyId: z.uuid(),
    rank: z.int(),
    score: z.number().min(0).max(1),
    factors: factorsView,
    reasons: z.array(reasonView),
  })
  .meta({ id: 'Match' });

export const matchesView = z
  .object({
    seekerId: z.uuid(),
    communityCode: z.string(),
    active: z.boolean().describe('Only registered unemployed seekers able and willing to work are ranked'),
    unjustifiedDeclinesThisYear: z.int(),
    items: z.array(matchView),
  })
  .meta({ id: 'SeekerMatches' });

export const candidateView = z
  .object({
    seekerId: z.uuid(),
    communityCode: z.string(),
    rank: z.int(),
    score: z.number().min(0).max(1),
    factors: factorsView,
    reasons: z.array(reasonView),
  })
  .meta({ id: 'Candidate' });

export const candidatesView = z
  .object({
    vacancyId: z.uuid(),
    open: z.boolean().describe('Open with headcount left; a closed or full vacancy has no candidates'),
    headcountLeft: z.int(),
    items: z.array(candidateView),
  })
  .meta({ id: 'VacancyCandidates' });

export const limitQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20).describe('How many to return (1–100)'),
});

export const idParams = z.object({ id: z.uuid() });
