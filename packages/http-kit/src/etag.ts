import type { FastifyReply, FastifyRequest } from 'fastify';
import { storedEtag } from './language.ts';
import { problems } from './problem.ts';

/** A weak-free ETag over a row's version counter. */
export function etagOf(id: string, version: number): string {
  return `"${id}.${version}"`;
}

/**
 * `If-Match` is required on updates: 428 without it, 412 when stale. The tag
 * of an answer converted to traditional Chinese names the same version (language.ts).
 */
export function checkIfMatch(request: FastifyRequest, current: string): void {
  const header = request.headers['if-match'];
  if (!header) throw problems.preconditionRequired();
  const tags = header.split(',').map((t) => storedEtag(t.trim().replace(/^W\//, '')));
  if (!tags.includes(current) && !tags.includes('*')) throw problems.preconditionFailed();
}

export function setEtag(reply: FastifyReply, etag: string): void {
  reply.header('etag', etag);
}
