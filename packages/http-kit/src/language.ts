import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { toTraditional, type TraditionalForm } from '@reemploy/domain/script';

/**
 * One script per answer. The product's Chinese text is simplified, as the
 * city's staff read it and the official region names are written; a caller
 * whose Accept-Language prefers traditional Chinese (zh-Hant, zh-TW, zh-HK)
 * gets every Chinese string of the answer converted by OpenCC, what callers
 * stored included. What is stored does not change: Idempotency-Key answers
 * are kept as first written and converted for each replay.
 */

export interface AnswerLanguage {
  /** The Content-Language of an answer with Chinese text: `zh-Hans`, or the traditional form asked for. */
  tag: string;
  /** The traditional forms to convert to; null for simplified (as stored). */
  target: TraditionalForm | null;
  /** Text in the script the caller asked for (simplified text unchanged by default); notes that the answer shows Chinese. */
  convert(text: string): string;
  /** Whether a piece of the answer holds Chinese text (seen by `convert`). */
  sawChinese: boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A page outside /v1 whose Chinese text follows Accept-Language like an API answer (the dashboard). */
    localized?: boolean;
  }
  interface FastifyRequest {
    /** The script this answer's Chinese text is written in; exports that build files (XLSX) convert through it. */
    language: AnswerLanguage;
  }
}

export const SIMPLIFIED_TAG = 'zh-Hans';
const HAN = /\p{Script=Han}/u;

interface Preference {
  tag: string;
  target: TraditionalForm | null;
}

/**
 * What a Chinese language range asks for: its script subtag if it has one
 * (Hant, Hans), else its region (TW, HK and MO write traditional; CN, SG and
 * the rest simplified). Null for a range that is not Chinese.
 */
function chineseForm(range: string): Preference | null {
  const [language, ...rest] = range.split('-');
  if (language?.toLowerCase() !== 'zh') return null;
  const subtags = rest.map((s) => s.toLowerCase());
  const script = subtags.find((s) => s.length === 4);
  const region = subtags.find((s) => s.length === 2 || /^\d{3}$/.test(s));
  const hongKong = region === 'hk' || region === 'mo';
  const traditional = script === 'hant' || (script === undefined && (region === 'tw' || hongKong));
  if (!traditional) return { tag: SIMPLIFIED_TAG, target: null };
  const tag = script ? (region ? `zh-Hant-${region.toUpperCase()}` : 'zh-Hant') : `zh-${region!.toUpperCase()}`;
  return { tag, target: hongKong ? 'hk' : 'tw' };
}

/**
 * The script an Accept-Language header asks for (RFC 9110 §12.5.4): among
 * its Chinese ranges, the one with the highest weight (the first of equals),
 * ignoring those weighted 0. Other languages and `*` leave the choice to the
 * Chinese ranges; without any, simplified.
 */
export function preferredScript(header: string | undefined): Preference {
  let best: (Preference & { q: number }) | undefined;
  for (const part of (header ?? '').split(',')) {
    const [rangePart, ...params] = part.split(';');
    const range = rangePart?.trim() ?? '';
    if (!/^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/.test(range)) continue;
    let q = 1;
    for (const param of params) {
      const m = /^\s*q\s*=\s*(0(\.\d{0,3})?|1(\.0{0,3})?)\s*$/i.exec(param);
      if (m) q = Number(m[1]);
      else if (/^\s*q\s*=/i.test(param)) q = -1; // a malformed weight: the range is ignored
    }
    if (q <= 0) continue;
    const form = chineseForm(range);
    if (form && (!best || q > best.q)) best = { ...form, q };
  }
  return best ? { tag: best.tag, target: best.target } : { tag: SIMPLIFIED_TAG, target: null };
}

function answerLanguage(header: string | undefined): AnswerLanguage {
  const { tag, target } = preferredScript(header);
  const language: AnswerLanguage = {
    tag,
    target,
    sawChinese: false,
    convert(text) {
      if (!HAN.test(text)) return text;
      language.sawChinese = true;
      return target ? toTraditional(text, target) : text;
    },
  };
  return language;
}

/** Every string value of parsed JSON converted; keys stay as they are. */
function convertValues(value: unknown, convert: (text: string) => string): unknown {
  if (typeof value === 'string') return convert(value);
  if (Array.isArray(value)) return value.map((v) => convertValues(v, convert));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = convertValues(v, convert);
    return out;
  }
  return value;
}

/** The answer's text in the caller's script: JSON string values, or the whole of a text answer (CSV, HTML, scripts). */
function convertPayload(payload: string, type: string, language: AnswerLanguage): string {
  if (!HAN.test(payload)) return payload;
  if (/[/+]json\b/.test(type)) {
    language.sawChinese = true;
    if (!language.target) return payload;
    return JSON.stringify(convertValues(JSON.parse(payload), language.convert));
  }
  const converted = language.convert(payload);
  // A page names its language at its root.
  return type.startsWith('text/html') ? converted.replace(/(<html\b[^>]*\blang=")[^"]*(")/i, `$1${language.tag}$2`) : converted;
}

/** The entity tag of a converted answer: the stored representation's tag with the form it was converted to. */
const TAG_SUFFIX: Record<TraditionalForm, string> = { tw: '~zh-Hant-TW', hk: '~zh-Hant-HK' };

export function variantEtag(etag: string, target: TraditionalForm): string {
  return etag.endsWith('"') ? `${etag.slice(0, -1)}${TAG_SUFFIX[target]}"` : etag;
}

/** An entity tag as the stored representation has it: a converted answer's tag names the same version. */
export function storedEtag(etag: string): string {
  for (const suffix of Object.values(TAG_SUFFIX)) if (etag.endsWith(`${suffix}"`)) return `${etag.slice(0, -suffix.length - 1)}"`;
  return etag;
}

function addVary(reply: FastifyReply, field: string) {
  const vary = reply.getHeader('vary');
  const fields = String(vary ?? '').split(',').map((f) => f.trim()).filter(Boolean);
  if (fields.includes('*') || fields.some((f) => f.toLowerCase() === field.toLowerCase())) return;
  reply.header('vary', [...fields, field].join(', '));
}

function negotiated(request: FastifyRequest): boolean {
  return request.url.startsWith('/v1') || request.routeOptions.config?.localized === true;
}

/**
 * Registered after the idempotency plugin, whose onSend hook then runs first, so
 * an answer is stored (Idempotency-Key) in the simplified script and converted
 * on the way out. Every negotiated answer says `Vary: Accept-Language`; one that
 * shows Chinese text names its script in Content-Language; a converted answer's
 * ETag names the form it was converted to (If-Match takes either: etag.ts).
 */
async function answerInScript(app: FastifyInstance) {
  app.decorateRequest('language', null as unknown as AnswerLanguage);
  app.addHook('onRequest', async (request) => {
    request.language = answerLanguage(request.headers['accept-language']);
  });
  app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    if (!negotiated(request)) return payload;
    // A request refused before onRequest ran (a bad URL) has no language yet.
    const language = (request.language ??= answerLanguage(request.headers['accept-language']));
    addVary(reply, 'Accept-Language');
    const type = String(reply.getHeader('content-type') ?? '');
    const textual = /^text\/|[/+]json\b/.test(type);
    let out = payload;
    if (textual && (typeof payload === 'string' || Buffer.isBuffer(payload))) {
      const text = typeof payload === 'string' ? payload : payload.toString('utf8');
      const converted = convertPayload(text, type, language);
      if (converted !== text) out = converted;
    }
    if (language.sawChinese) {
      reply.header('content-language', language.tag);
      const etag = reply.getHeader('etag');
      if (language.target && typeof etag === 'string') reply.header('etag', variantEtag(etag, language.target));
    }
    return out;
  });
}

export const language = fp(answerInScript, { name: 'reemploy-language', fastify: '5.x', dependencies: ['reemploy-idempotency'] });
