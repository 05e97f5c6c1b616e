import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createLocalJWKSet, createRemoteJWKSet, errors, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import type { IssuerKeySource } from '@reemploy/config';

/**
 * The issuer's public keys, chosen by a token's `kid`. `generation` changes
 * whenever the published set changes, so tokens verified under an older set
 * are verified again (a removed key stops working); it also starts a refresh
 * when one is due, without waiting for it.
 */
export interface IssuerKeys {
  getKey: JWTVerifyGetKey;
  generation(): number;
}

export interface IssuerKeysOptions {
  refreshMs: number;
  now: () => number;
  /** A refresh failed: the keys held so far stay in use. */
  onRefreshError: (err: Error) => void;
}

/** A key that can check EdDSA (Ed25519) or ES256 (P-256) signatures. */
const usable = (key: Record<string, unknown>) => typeof key.kid === 'string' && ((key.kty === 'OKP' && key.crv === 'Ed25519') || (key.kty === 'EC' && key.crv === 'P-256'));

/**
 * Parses a published key set. Refused: anything but `{ "keys": [...] }`, a
 * private or symmetric key (a JWKS is public; only the issuer holds the private
 * key), and a set without one Ed25519 or P-256 key that has a `kid`.
 */
function parseKeySet(text: string, where: string): JSONWebKeySet {
  let set: unknown;
  try {
    set = JSON.parse(text);
  } catch {
    throw new Error(`${where}: not JSON`);
  }
  const keys = (set as { keys?: unknown })?.keys;
  if (!Array.isArray(keys) || !keys.every((k) => k && typeof k === 'object')) throw new Error(`${where}: not a JSON Web Key Set ({ "keys": [...] })`);
  if (keys.some((k: Record<string, unknown>) => 'd' in k || k.kty === 'oct')) throw new Error(`${where}: holds a private or symmetric key; publish public keys only`);
  if (!keys.some(usable)) throw new Error(`${where}: no Ed25519 or P-256 key with a kid`);
  return set as JSONWebKeySet;
}

function fixedKeys(json: string): IssuerKeys {
  const local = createLocalJWKSet(parseKeySet(json, 'JWKS_JSON'));
  return { getKey: local, generation: () => 0 };
}

/**
 * A key file, read at start (an unreadable or invalid file stops the service),
 * read again every refresh interval, and at most once a second when a token
 * names a kid it does not hold (a key just added). A file that cannot be read
 * or parsed later leaves the keys in use as they were.
 */
function fileKeys(path: string, opts: IssuerKeysOptions): IssuerKeys {
  let text = readFileSync(path, 'utf8');
  let local = createLocalJWKSet(parseKeySet(text, path));
  let generation = 0;
  let readAt = opts.now();
  let reading: Promise<void> | undefined;
  const reread = () =>
    (reading ??= readFile(path, 'utf8')
      .then((next) => {
        if (next === text) return;
        local = createLocalJWKSet(parseKeySet(next, path));
        text = next;
        generation += 1;
      })
      .catch((err: Error) => opts.onRefreshError(err))
      .finally(() => {
        readAt = opts.now();
        reading = undefined;
      }));
  const due = () => opts.now() - readAt >= opts.refreshMs;
  return {
    async getKey(header, token) {
      if (due()) await reread();
      try {
        return await local(header, token);
      } catch (err) {
        if (!(err instanceof errors.JWKSNoMatchingKey) || opts.now() - readAt < 1000) throw err;
        await reread();
        return local(header, token);
      }
    },
    generation() {
      if (due()) void reread();
      return generation;
    },
  };
}

/**
 * jose's remote set: fetched when first needed, again once older than the
 * refresh interval, and when a token names an unknown kid (at most once per
 * cooldown, so unknown kids cannot make the service hammer the issuer).
 */
function remoteKeys(url: string, opts: IssuerKeysOptions): IssuerKeys {
  const remote = createRemoteJWKSet(new URL(url), { cacheMaxAge: opts.refreshMs, cooldownDuration: Math.min(30_000, opts.refreshMs), timeoutDuration: 5000 });
  let published = '';
  let generation = 0;
  let checkedAt = -Infinity;
  let checking: Promise<void> | undefined;
  const check = () =>
    (checking ??= (remote.fresh ? Promise.resolve() : remote.reload())
      .then(() => {
        const now = JSON.stringify(remote.jwks() ?? null);
        if (now === published) return;
        published = now;
        generation += 1;
      })
      .catch((err: Error) => opts.onRefreshError(err))
      .finally(() => {
        checkedAt = opts.now();
        checking = undefined;
      }));
  return {
    getKey: (header, token) => remote(header, token),
    generation() {
      if (opts.now() - checkedAt >= opts.refreshMs) void check();
      return generation;
    },
  };
}

export function issuerKeys(source: IssuerKeySource, opts: IssuerKeysOptions): IssuerKeys {
  if ('file' in source) return fileKeys(source.file, opts);
  if ('url' in source) return remoteKeys(source.url, opts);
  return fixedKeys(source.json);
}
