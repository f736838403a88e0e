import { z } from 'zod';
import type { Queryable } from '../data/db.ts';
import { jsonTimestamp } from '../data/normalize.ts';
import type {
  Aspirant,
  AspirantConnection,
  AspirantNote,
  AspirantProfile,
  FormLink,
  Language,
  Photo,
  PhotoKind,
  ShiftPreference,
  ShiftWindow,
  Weekday,
} from '../generated/graphql.ts';
import { formLinkUrl } from '../forms/links.ts';
import { assertCanSee, type Caller, visibleAspirantsSql } from './access.ts';
import { cursorId, decodeCursor, encodeCursor, pageSize, toPage } from './paging.ts';
import { allowedTransitions, type StoredStatus, toGraphqlStatus } from './pipeline.ts';
import { recruitersById } from './recruiters.ts';
import { parseSearchTerm, searchConditionSql, searchParam } from './search.ts';
import type { AspirantIncludes, Services } from './services.ts';

export interface AspirantRow {
  id: string;
  phone: string;
  whatsappName: string | null;
  fullName: string | null;
  status: StoredStatus;
  language: 'es' | 'en' | 'pt' | null;
  profile: unknown;
  shiftPreferences: unknown;
  optedOutAt: string | null;
  dateOfBirth: string | null;
  guardianConsentAt: string | null;
  assigneeId: string | null;
  tags: string[];
  createdAt: string;
  updatedAt: string;
}

export const aspirantColumns = (alias: string): string =>
  ['id', 'phone', 'whatsapp_name', 'full_name', 'status', 'language', 'profile', 'shift_preferences', 'opted_out_at',
    'date_of_birth', 'guardian_consent_at', 'assignee_id', 'tags', 'created_at', 'updated_at']
    .map((column) => `${alias}.${column}`)
    .join(', ');

/**
 * `column` is one of the uuids bound as a jsonb list in `param` (the Data API cannot bind arrays). As `= ANY` of
 * an array built once, the planner probes the column's index for each id; `IN (SELECT …)` over the set-returning
 * function was planned as a join, at times a sequential scan of the whole table, and took longer to plan.
 */
export const uuidInListSql = (column: string, param: string): string =>
  `${column} = ANY (ARRAY(SELECT jsonb_array_elements_text(:${param}::jsonb)::uuid))`;

/**
 * For each id in `ids`, the values of the `subqueries` that `include` asks for, in one round trip: a record's
 * parts (notes, media…) as JSON, one subquery per kind, instead of one query per kind. Each subquery names the
 * id `wanted.id` and is aliased as its kind in snake_case, so that a row's keys are the kinds.
 */
export async function includedPartsById<Kind extends string, Parts extends Partial<Record<Kind, unknown>>>(
  q: Queryable,
  ids: readonly string[],
  subqueries: Readonly<Record<Kind, string>>,
  include: Readonly<Record<Kind, boolean>>,
): Promise<Map<string, Parts>> {
  const chosen = (Object.keys(subqueries) as Kind[]).filter((kind) => include[kind]).map((kind) => subqueries[kind]);
  if (chosen.length === 0) return new Map();
  const rows = await q.query<Parts & { id: string }>(
    `SELECT wanted.id, ${chosen.join(', ')} FROM (SELECT jsonb_array_elements_text(:ids::jsonb)::uuid AS id) AS wanted`,
    { ids },
  );
  return new Map(rows.map((row) => [row.id, row]));
}

export async function aspirantRowsById(q: Queryable, ids: readonly string[]): Promise<Map<string, AspirantRow>> {
  if (ids.length === 0) return new Map();
  const rows = await q.query<AspirantRow>(`SELECT ${aspirantColumns('a')} FROM aspirants a WHERE ${uuidInListSql('a.id', 'ids')}`, {
    ids: [...new Set(ids)],
  });
  return new Map(rows.map((row) => [row.id, row]));
}

export async function getAspirant(
  services: Services,
  caller: Caller,
  id: string,
  include: AspirantIncludes,
): Promise<Aspirant | null> {
  const row = (await aspirantRowsById(services.db, [id])).get(id);
  if (row === undefined) return null;
  assertCanSee(caller, row.assigneeId, 'aspirant');
  const [aspirant] = await loadAspirants(services.db, services, [row], include);
  return aspirant ?? null;
}

export interface SearchAspirantsInput {
  readonly query: string;
  readonly first?: number | null;
  readonly after?: string | null;
}

/**
 * Visible aspirants whose name starts with the query, or whose phone ends with its digits. Ordered by the
 * searched key (name, or the reversed phone), then id, so pages follow the index.
 */
export async function searchAspirants(
  services: Services,
  caller: Caller,
  input: SearchAspirantsInput,
  include: AspirantIncludes,
): Promise<AspirantConnection> {
  const term = parseSearchTerm(input.query, 'query');
  const size = pageSize(input.first, 20);
  const cursorKind = `aspirants:${term.kind}`;
  const sortKey = term.kind === 'phone' ? 'reverse(a.phone)' : "lower(coalesce(a.full_name, a.whatsapp_name, ''))";
  const conditions = [searchConditionSql(term, 'a')];
  const visible = visibleAspirantsSql(caller, 'a');
  if (visible !== null) conditions.push(visible);
  const params: Record<string, string | number> = { search: searchParam(term), callerId: caller.id, limit: size + 1 };
  if (input.after !== null && input.after !== undefined) {
    const cursor = decodeCursor(input.after, cursorKind, { key: z.string().max(200), id: cursorId });
    conditions.push(`(${sortKey}, a.id) > (:afterKey::text, :afterId::uuid)`);
    Object.assign(params, { afterKey: cursor.key, afterId: cursor.id });
  }
  const rows = await services.db.query<AspirantRow & { sortKey: string }>(
    `SELECT ${aspirantColumns('a')}, ${sortKey} AS sort_key FROM aspirants a
      WHERE ${conditions.join(' AND ')}
      ORDER BY ${sortKey}, a.id
      LIMIT :limit::int`,
    params,
  );
  const page = toPage(rows, size, (row) => encodeCursor(cursorKind, { key: row.sortKey, id: row.id }));
  return { nodes: await loadAspirants(services.db, services, page.rows, include), pageInfo: page.pageInfo };
}

/** Aspirant rows as GraphQL aspirants, with the included parts loaded in one query per kind. */
export async function loadAspirants(
  q: Queryable,
  services: Pick<Services, 'now' | 'mediaUrl' | 'formLinks'>,
  rows: readonly AspirantRow[],
  include: AspirantIncludes,
): Promise<Aspirant[]> {
  if (rows.length === 0) return [];
  const parts = await includedPartsById<keyof typeof partQueries, AspirantParts>(q, rows.map((row) => row.id), partQueries, include);
  const recruiters = await recruitersById(q, [
    ...(include.assignee ? rows.map((row) => row.assigneeId) : []),
    ...[...parts.values()].flatMap((part) => (part.notes ?? []).map((note) => note.authorId)),
  ]);
  const now = services.now();
  return Promise.all(
    rows.map(async (row) => {
      const part = parts.get(row.id);
      return {
        ...toAspirantFields(row, now),
        assignee: include.assignee && row.assigneeId !== null ? (recruiters.get(row.assigneeId) ?? null) : null,
        notes: (part?.notes ?? []).map((note) => ({
          ...toNoteFields({ ...note, aspirantId: row.id, createdAt: jsonTimestamp(note.createdAt) }),
          author: note.authorId === null ? null : (recruiters.get(note.authorId) ?? null),
        })),
        photos: await Promise.all((part?.photos ?? []).map((photo) => toPhoto(row.id, photo, services.mediaUrl))),
        formLink: part?.formLink == null ? null : toFormLink(row.id, part.formLink, services),
        formSubmission:
          part?.formSubmission == null
            ? null
            : { ...part.formSubmission, aspirantId: row.id, data: JSON.stringify(part.formSubmission.data), submittedAt: jsonTimestamp(part.formSubmission.submittedAt) },
        conversationId: part?.conversationId ?? null,
      };
    }),
  );
}

type AspirantScalars = Omit<Aspirant, 'assignee' | 'notes' | 'photos' | 'formLink' | 'formSubmission' | 'conversationId'>;

function toAspirantFields(row: AspirantRow, now: Date): AspirantScalars {
  return {
    id: row.id,
    phone: row.phone,
    whatsappName: row.whatsappName,
    fullName: row.fullName,
    displayName: row.fullName ?? row.whatsappName ?? row.phone,
    status: toGraphqlStatus(row.status),
    allowedTransitions: allowedTransitions(row.status).map(toGraphqlStatus),
    language: row.language === null ? null : (row.language.toUpperCase() as Language),
    profile: toProfile(row.profile),
    shiftPreferences: toShiftPreferences(row.shiftPreferences),
    optedOut: row.optedOutAt !== null,
    optedOutAt: row.optedOutAt,
    dateOfBirth: row.dateOfBirth,
    isMinor: row.dateOfBirth !== null && isMinorOn(row.dateOfBirth, now),
    guardianConsentAt: row.guardianConsentAt,
    tags: row.tags,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** Under 18 on `now` (UTC), from a YYYY-MM-DD date of birth. */
export function isMinorOn(dateOfBirth: string, now: Date): boolean {
  const [year, month, day] = dateOfBirth.split('-').map(Number) as [number, number, number];
  return now.getTime() < Date.UTC(year + 18, month - 1, day);
}

// aspirants.profile holds the form's fields under the GraphQL names; anything unexpected reads as null.
function toProfile(value: unknown): AspirantProfile | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const fields = value as Record<string, unknown>;
  const text = (key: string) => (typeof fields[key] === 'string' ? fields[key] : null);
  const integer = (key: string) => (Number.isInteger(fields[key]) ? (fields[key] as number) : null);
  const decimal = (key: string) => (typeof fields[key] === 'number' && Number.isFinite(fields[key]) ? fields[key] : null);
  return {
    city: text('city'),
    heightCm: integer('heightCm'),
    bustCm: integer('bustCm'),
    waistCm: integer('waistCm'),
    hipsCm: integer('hipsCm'),
    shoeSizeEu: decimal('shoeSizeEu'),
    experience: text('experience'),
    portfolioUrl: text('portfolioUrl'),
    instagram: text('instagram'),
  };
}

const weekdays: readonly Weekday[] = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'];
const shiftWindows: readonly ShiftWindow[] = ['MORNING', 'AFTERNOON', 'EVENING', 'NIGHT'];

// Stored as [{"day": "mon", "window": "evening"}]; entries that do not fit the enums are skipped.
function toShiftPreferences(value: unknown): ShiftPreference[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry: unknown) => {
    const { day, window } = (entry ?? {}) as { day?: unknown; window?: unknown };
    const upperDay = typeof day === 'string' ? day.toUpperCase() : '';
    const upperWindow = typeof window === 'string' ? window.toUpperCase() : '';
    return weekdays.includes(upperDay as Weekday) && shiftWindows.includes(upperWindow as ShiftWindow)
      ? [{ day: upperDay as Weekday, window: upperWindow as ShiftWindow }]
      : [];
  });
}

export interface NoteRow {
  id: string;
  aspirantId: string;
  authorId: string | null;
  body: string;
  createdAt: string;
}

export const noteColumns = 'id, aspirant_id, author_id, body, created_at';

export const toNoteFields = (row: NoteRow): Omit<AspirantNote, 'author'> => ({
  id: row.id,
  aspirantId: row.aspirantId,
  body: row.body,
  createdAt: row.createdAt,
});

interface AspirantParts {
  notes?: Omit<NoteRow, 'aspirantId'>[] | null;
  photos?: PhotoJson[] | null;
  formLink?: FormLinkJson | null;
  formSubmission?: { id: string; source: string; data: unknown; submittedAt: string } | null;
  conversationId?: string | null;
}

interface PhotoJson {
  id: string;
  messageId: string | null;
  kind: string;
  blobKey: string;
  thumbnailKey: string;
  width: number | null;
  height: number | null;
  createdAt: string;
}

interface FormLinkJson {
  id: string;
  createdAt: string;
  expiresAt: string;
  openedAt: string | null;
  submittedAt: string | null;
  revokedAt: string | null;
}

/**
 * Each included part per aspirant, as JSON from one subquery each, so that loading aspirants costs one round trip
 * for all their parts (it was one per kind). Notes newest first, as the console shows them; photos oldest first;
 * the latest form link, submission and conversation.
 */
const partQueries = {
  notes: `(SELECT json_agg(json_build_object('id', n.id, 'authorId', n.author_id, 'body', n.body, 'createdAt', n.created_at)
            ORDER BY n.created_at DESC, n.id)
            FROM aspirant_notes n WHERE n.aspirant_id = wanted.id) AS notes`,
  photos: `(SELECT json_agg(json_build_object('id', p.id, 'messageId', p.message_id, 'kind', p.kind, 'blobKey', p.blob_key,
            'thumbnailKey', p.thumbnail_key, 'width', p.width, 'height', p.height, 'createdAt', p.created_at) ORDER BY p.created_at, p.id)
            FROM photos p WHERE p.aspirant_id = wanted.id) AS photos`,
  formLink: `(SELECT json_build_object('id', l.id, 'createdAt', l.created_at, 'expiresAt', l.expires_at, 'openedAt', l.opened_at,
            'submittedAt', l.submitted_at, 'revokedAt', l.revoked_at)
            FROM form_links l WHERE l.aspirant_id = wanted.id ORDER BY l.created_at DESC, l.id DESC LIMIT 1) AS form_link`,
  formSubmission: `(SELECT json_build_object('id', s.id, 'source', s.source, 'data', s.data, 'submittedAt', s.submitted_at)
            FROM form_submissions s WHERE s.aspirant_id = wanted.id ORDER BY s.submitted_at DESC, s.id DESC LIMIT 1) AS form_submission`,
  conversationId: `(SELECT c.id FROM conversations c WHERE c.aspirant_id = wanted.id
            ORDER BY c.last_activity_at DESC, c.id DESC LIMIT 1) AS conversation_id`,
} as const;

async function toPhoto(aspirantId: string, photo: PhotoJson, mediaUrl: (key: string) => Promise<string>): Promise<Photo> {
  const [url, thumbnailUrl] = await Promise.all([mediaUrl(photo.blobKey), mediaUrl(photo.thumbnailKey)]);
  return {
    id: photo.id,
    aspirantId,
    messageId: photo.messageId,
    kind: photo.kind.toUpperCase() as PhotoKind,
    url,
    thumbnailUrl,
    width: photo.width,
    height: photo.height,
    createdAt: jsonTimestamp(photo.createdAt),
  };
}

function toFormLink(aspirantId: string, json: FormLinkJson, services: Pick<Services, 'now' | 'formLinks'>): FormLink {
  const at = (value: string | null) => (value === null ? null : jsonTimestamp(value));
  const link = { id: json.id, aspirantId, expiresAt: jsonTimestamp(json.expiresAt) };
  return {
    id: json.id,
    url: formLinkUrl(link, services.formLinks),
    status:
      json.revokedAt !== null ? 'REVOKED'
      : json.submittedAt !== null ? 'SUBMITTED'
      : Date.parse(link.expiresAt) <= services.now().getTime() ? 'EXPIRED'
      : json.openedAt !== null ? 'OPENED'
      : 'SENT',
    createdAt: jsonTimestamp(json.createdAt),
    expiresAt: link.expiresAt,
    openedAt: at(json.openedAt),
    submittedAt: at(json.submittedAt),
    revokedAt: at(json.revokedAt),
  };
}
