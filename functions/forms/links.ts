import type { Queryable } from '../data/db.ts';
import { FormTokenError, signFormLinkToken, verifyFormLinkToken } from './tokens.ts';

/**
 * Personal form links (form_links rows) and their tokens. The funnel is the row: created = sent, opened_at,
 * submitted_at; revoked_at ends a link before it expires.
 */
export interface FormLinkSettings {
  /** FORM_LINK_SECRET (at least 32 characters). */
  readonly secret: string;
  /** FORM_LINK_TTL_DAYS. */
  readonly ttlDays: number;
  /** Where the console serves the form, without the token: `${PUBLIC_URL}/apply`. */
  readonly baseUrl: string;
}

export interface FormLinkRow {
  readonly id: string;
  readonly aspirantId: string;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly openedAt: string | null;
  readonly submittedAt: string | null;
  readonly revokedAt: string | null;
}

export interface IssuedFormLink {
  readonly link: FormLinkRow;
  readonly token: string;
  readonly url: string;
}

const columns = 'id, aspirant_id, created_at, expires_at, opened_at, submitted_at, revoked_at';
const DAY_MS = 86_400_000;
/** A link about to expire is not handed out again: the aspirant needs time to open it. */
const MIN_REMAINING_MS = DAY_MS;

/** The aspirant-facing URL of a link; the same row always gives the same URL. */
export function formLinkUrl(link: Pick<FormLinkRow, 'id' | 'aspirantId' | 'expiresAt'>, settings: Pick<FormLinkSettings, 'secret' | 'baseUrl'>): string {
  const token = signFormLinkToken({ formLinkId: link.id, aspirantId: link.aspirantId, expiresAt: new Date(link.expiresAt) }, settings.secret);
  return `${settings.baseUrl.replace(/\/+$/, '')}/${token}`;
}

const issued = (link: FormLinkRow, settings: FormLinkSettings): IssuedFormLink => {
  const url = formLinkUrl(link, settings);
  return { link, token: url.slice(url.lastIndexOf('/') + 1), url };
};

/** A new link for the aspirant, expiring FORM_LINK_TTL_DAYS from now (to the second, as the token does). */
export async function issueFormLink(q: Queryable, aspirantId: string, settings: FormLinkSettings, now: Date): Promise<IssuedFormLink> {
  if (!Number.isFinite(settings.ttlDays) || settings.ttlDays <= 0) throw new RangeError('FORM_LINK_TTL_DAYS must be a positive number');
  const expiresAt = new Date(Math.floor((now.getTime() + settings.ttlDays * DAY_MS) / 1000) * 1000);
  const [link] = await q.query<FormLinkRow>(
    `INSERT INTO form_links (aspirant_id, created_at, expires_at) VALUES (:aspirantId::uuid, :now::timestamptz, :expiresAt::timestamptz)
     RETURNING ${columns}`,
    { aspirantId, now: now.toISOString(), expiresAt: expiresAt.toISOString() },
  );
  return issued(link!, settings);
}

/** The aspirant's latest usable link (not revoked, at least a day left), or a new one. */
export async function ensureFormLink(q: Queryable, aspirantId: string, settings: FormLinkSettings, now: Date): Promise<IssuedFormLink> {
  const [current] = await q.query<FormLinkRow>(
    `SELECT ${columns} FROM form_links
      WHERE aspirant_id = :aspirantId::uuid AND revoked_at IS NULL AND expires_at > :usableUntil::timestamptz
      ORDER BY created_at DESC, id DESC LIMIT 1`,
    { aspirantId, usableUntil: new Date(now.getTime() + MIN_REMAINING_MS).toISOString() },
  );
  return current === undefined ? issueFormLink(q, aspirantId, settings, now) : issued(current, settings);
}

/**
 * The link a token names, when the token is genuine and the link still works. Throws `FormTokenError`:
 * 'malformed', 'bad_signature', 'expired', 'unknown_link' (no such link for that aspirant) or 'revoked'.
 */
export async function resolveFormLink(q: Queryable, token: string, secret: string, now: Date): Promise<FormLinkRow> {
  const claims = verifyFormLinkToken(token, secret, now);
  const [link] = await q.query<FormLinkRow>(`SELECT ${columns} FROM form_links WHERE id = :id::uuid`, { id: claims.formLinkId });
  if (link === undefined || link.aspirantId !== claims.aspirantId) throw new FormTokenError('unknown_link', 'the form link does not exist');
  if (link.revokedAt !== null) throw new FormTokenError('revoked', 'the form link was revoked');
  if (Date.parse(link.expiresAt) <= now.getTime()) throw new FormTokenError('expired', 'the form link has expired');
  return link;
}

export interface OpenedFormLink {
  readonly link: FormLinkRow;
  /** True the first time the link is opened: the moment to emit the bot's "form opened" event. */
  readonly firstOpen: boolean;
  /** The aspirant's language, for the page. */
  readonly language: 'es' | 'en' | 'pt' | null;
  /** The latest submission's validated data, to prefill a resubmission. */
  readonly previousSubmission: unknown;
}

/** Records that the page was opened (once) and returns what the page needs. Throws `FormTokenError`. */
export async function openFormLink(q: Queryable, token: string, secret: string, now: Date): Promise<OpenedFormLink> {
  const link = await resolveFormLink(q, token, secret, now);
  const opened = await q.query<{ openedAt: string }>(
    'UPDATE form_links SET opened_at = :now::timestamptz WHERE id = :id::uuid AND opened_at IS NULL RETURNING opened_at',
    { id: link.id, now: now.toISOString() },
  );
  const [aspirant] = await q.query<{ language: 'es' | 'en' | 'pt' | null }>('SELECT language FROM aspirants WHERE id = :id::uuid', { id: link.aspirantId });
  const [previous] = await q.query<{ data: unknown }>(
    'SELECT data FROM form_submissions WHERE aspirant_id = :id::uuid ORDER BY submitted_at DESC, id DESC LIMIT 1',
    { id: link.aspirantId },
  );
  return {
    link: opened[0] === undefined ? link : { ...link, openedAt: opened[0].openedAt },
    firstOpen: opened.length === 1,
    language: aspirant?.language ?? null,
    previousSubmission: previous?.data ?? null,
  };
}

/** Revokes every live link of the aspirant; returns how many. */
export async function revokeFormLinks(q: Queryable, aspirantId: string, now: Date): Promise<number> {
  const rows = await q.query(
    'UPDATE form_links SET revoked_at = :now::timestamptz WHERE aspirant_id = :aspirantId::uuid AND revoked_at IS NULL RETURNING id',
    { aspirantId, now: now.toISOString() },
  );
  return rows.length;
}
