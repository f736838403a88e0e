import type { Queryable } from '../data/db.ts';
import type { StoredShift } from '../../web/src/features/apply/form/schema.ts';
import { fold } from '../knowledge/terms.ts';
import { BadRequestError } from '../shared/errors.ts';
import { type BotLanguage, botLanguages, isBotLanguage } from './language.ts';

/**
 * Everything the bot says comes from bot_texts (migration 0004 seeds es, en and pt): message texts with
 * `{placeholders}`, and labels the renderer builds lists from (photo kinds, days, time windows). Admins edit
 * them (`updateBotText`); only approved rows are sent. No text may promise work.
 */

/** The photos the flow can ask for, as stored in photos.kind. */
export const checklistKinds = ['headshot', 'full_body', 'profile'] as const;
export type ChecklistKind = (typeof checklistKinds)[number];

/** Message texts the flow and the agents send, with the placeholders each must contain. */
export const messageTextVariables = {
  welcome: [],
  'form.link': ['formUrl'],
  'form.reminder': ['formUrl'],
  'photos.request': ['checklist'],
  'photos.ack': ['received', 'missing'],
  'photos.thanks': [],
  'photos.early': ['formUrl'],
  'guardian.consent.request': [],
  'guardian.consent.pending': [],
  /** A group: one of the approved `affirmation.<n>` variants, chosen per aspirant. */
  affirmation: [],
  'status.in_review': [],
  handoff: [],
  'faq.answer': ['answer', 'source'],
  'faq.unknown': [],
  'scheduling.confirm': ['shifts'],
  'scheduling.unclear': [],
  'optout.how': [],
  fallback: [],
} as const satisfies Record<string, readonly string[]>;

export type MessageTextKey = keyof typeof messageTextVariables;

const weekdayCodes = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const satisfies readonly StoredShift['day'][];
const windowCodes = ['morning', 'afternoon', 'evening', 'night'] as const satisfies readonly StoredShift['window'][];

/** Fragments without placeholders that lists are built from. */
export const labelTextKeys: readonly string[] = [
  ...checklistKinds.map((kind) => `photo.${kind}`),
  ...weekdayCodes.map((day) => `day.${day}`),
  ...windowCodes.map((window) => `window.${window}`),
];

const AFFIRMATION_VARIANT = /^affirmation\.([1-9][0-9]?)$/;
const MAX_LABEL_LENGTH = 80;
const MAX_BODY_LENGTH = 1000;

/** A placeholder value: plain text, or a list rendered from labels in the message's language. */
export type TextValue = string | { readonly photoKinds: readonly ChecklistKind[] } | { readonly shifts: readonly StoredShift[] };

/** What to say, before it is put in words: a message text and its values. */
export interface TextRef {
  readonly textKey: MessageTextKey;
  readonly variables: Readonly<Record<string, TextValue>>;
}

export interface BotTextRow {
  readonly key: string;
  readonly language: BotLanguage;
  readonly body: string;
  readonly approved: boolean;
  /** message_templates.name (same language) for sending outside the window; in the library, only when that template is approved. */
  readonly templateName: string | null;
  readonly updatedAt: string;
  readonly updatedBy: string | null;
}

export interface RenderedText {
  /** The row used: for the affirmation group, the variant. */
  readonly key: string;
  readonly language: BotLanguage;
  readonly body: string;
  /** For delivery outside the 24-hour window: the approved template (message_templates name, same language) and its positional variables. */
  readonly template: { readonly name: string; readonly variables: readonly string[] } | null;
}

export class BotTextMissingError extends Error {
  override readonly name = 'BotTextMissingError';
}

/** The words that promise work, in the three languages; folded (lower case, no accents) before matching. */
const PROMISES = [
  /guarant/, /garant/, /\bhired?\b/, /\bhiring you\b/, /contratad/, /\bte (vamos a |van a )?contrat/, /\bvamos a contratar/,
  /\bpromet/, /\bpromis/, /asegurad/, /\bassured\b/, /\bseleccionad/, /\bselecionad/, /\bselected\b/, /\baprobad/, /\baprovad/,
  /\bapproved\b/, /\byou will (get|have|be given) (a )?(job|work|contract)/, /\btendras (un )?(trabajo|empleo|contrato)/,
  /\bteras (um )?(trabalho|emprego|contrato)/, /\bvai (conseguir|ter) (um )?(trabalho|emprego)/, /\b100 ?%/,
];

/** Whether a text promises work ("guaranteed", "garantizado", "contratada", "you will be hired"…). */
export const promisesWork = (text: string): boolean => PROMISES.some((pattern) => pattern.test(fold(text)));

const placeholdersOf = (body: string): string[] => [...body.matchAll(/\{([A-Za-z]+)\}/g)].map((match) => match[1]!);

/** The placeholders a stored key must have, or undefined for a key the bot does not know. */
export function variablesOfKey(key: string): readonly string[] | undefined {
  if (AFFIRMATION_VARIANT.test(key)) return messageTextVariables.affirmation;
  if (Object.hasOwn(messageTextVariables, key) && key !== 'affirmation') return messageTextVariables[key as MessageTextKey];
  if (labelTextKeys.includes(key)) return [];
  return undefined;
}

/** A stable small number from a string: picks the same affirmation for the same aspirant every time. */
function pick<T>(items: readonly T[], seed: string): T {
  let hash = 0;
  for (const char of seed) hash = (hash * 31 + char.codePointAt(0)!) >>> 0;
  return items[hash % items.length]!;
}

/** The approved texts in memory; renders TextRefs. Build it with `loadBotTextLibrary`. */
export class BotTextLibrary {
  private readonly rows: ReadonlyMap<string, BotTextRow>;

  constructor(rows: readonly BotTextRow[], private readonly fallbackLanguage: BotLanguage = 'es') {
    this.rows = new Map(rows.filter((row) => row.approved).map((row) => [`${row.key}|${row.language}`, row]));
  }

  /** Whether the text can go out as an approved WhatsApp template in this language (outside the window). */
  hasTemplate(textKey: MessageTextKey, language: BotLanguage): boolean {
    return this.candidates(textKey, language).some((row) => row.templateName !== null);
  }

  /** Message keys with a template in `language`: the flow's `templateKeys`. */
  templateKeys(language: BotLanguage): ReadonlySet<MessageTextKey> {
    return new Set((Object.keys(messageTextVariables) as MessageTextKey[]).filter((key) => this.hasTemplate(key, language)));
  }

  /**
   * The words for a TextRef in `language` (or the fallback language when that text is missing there). `seed`
   * (the aspirant's id) picks the affirmation variant. For 'template' delivery only rows with a template count.
   */
  render(ref: TextRef, language: BotLanguage, options: { seed: string; delivery: 'session' | 'template' }): RenderedText {
    const row = this.resolve(ref.textKey, language, options);
    const names = messageTextVariables[ref.textKey];
    const values = new Map<string, string>(names.map((name) => [name, this.value(ref.variables[name], name, ref.textKey, row.language)]));
    const body = row.body.replace(/\{([A-Za-z]+)\}/g, (whole, name: string) => values.get(name) ?? whole);
    return {
      key: row.key,
      language: row.language,
      body,
      template: options.delivery === 'template' ? { name: row.templateName!, variables: names.map((name) => values.get(name)!) } : null,
    };
  }

  private candidates(textKey: MessageTextKey, language: BotLanguage): BotTextRow[] {
    if (textKey !== 'affirmation') {
      const row = this.rows.get(`${textKey}|${language}`);
      return row === undefined ? [] : [row];
    }
    return [...this.rows.values()]
      .filter((row) => row.language === language && AFFIRMATION_VARIANT.test(row.key))
      .sort((a, b) => a.key.localeCompare(b.key, 'en', { numeric: true }));
  }

  private resolve(textKey: MessageTextKey, language: BotLanguage, options: { seed: string; delivery: 'session' | 'template' }): BotTextRow {
    for (const candidateLanguage of [language, this.fallbackLanguage, ...botLanguages]) {
      const rows = this.candidates(textKey, candidateLanguage).filter((row) => options.delivery === 'session' || row.templateName !== null);
      if (rows.length > 0) return pick(rows, options.seed);
    }
    throw new BotTextMissingError(`no approved ${options.delivery === 'template' ? 'template for the ' : ''}text "${textKey}" in any language`);
  }

  private label(key: string, language: BotLanguage): string {
    const row = this.rows.get(`${key}|${language}`) ?? this.rows.get(`${key}|${this.fallbackLanguage}`);
    if (row === undefined) throw new BotTextMissingError(`no approved label "${key}"`);
    return row.body;
  }

  private value(value: TextValue | undefined, name: string, textKey: string, language: BotLanguage): string {
    if (value === undefined) throw new TypeError(`text "${textKey}" needs a value for {${name}}`);
    if (typeof value === 'string') return value;
    const list = new Intl.ListFormat(language, { style: 'long', type: 'conjunction' });
    if ('photoKinds' in value) return list.format(value.photoKinds.map((kind) => this.label(`photo.${kind}`, language)));
    return list.format(value.shifts.map((shift) => `${this.label(`day.${shift.day}`, language)} ${this.label(`window.${shift.window}`, language)}`));
  }
}

const rowColumns = 'key, language, body, approved, template_name, updated_at, updated_by';

/** The texts the bot may send; a text's template counts only while that template is approved. */
export async function loadBotTextLibrary(q: Queryable, fallbackLanguage: BotLanguage = 'es'): Promise<BotTextLibrary> {
  const rows = await q.query<BotTextRow>(
    `SELECT b.key, b.language, b.body, b.approved, CASE WHEN t.approved THEN b.template_name END AS template_name, b.updated_at, b.updated_by
       FROM bot_texts b LEFT JOIN message_templates t ON t.name = b.template_name AND t.language = b.language`,
  );
  return new BotTextLibrary(rows, fallbackLanguage);
}

export interface BotTextListing extends BotTextRow {
  /** The placeholders the body must keep. */
  readonly variables: readonly string[];
}

/** Every text (approved or not), by key then language: the admin's editing list. */
export async function listBotTexts(q: Queryable, filter: { language?: BotLanguage } = {}): Promise<BotTextListing[]> {
  if (filter.language !== undefined && !isBotLanguage(filter.language)) throw new BadRequestError('language: must be es, en or pt');
  const rows = await q.query<BotTextRow>(
    `SELECT ${rowColumns} FROM bot_texts WHERE (:language::text IS NULL OR language = :language) ORDER BY key, language`,
    { language: filter.language ?? null },
  );
  return rows.map((row) => ({ ...row, variables: variablesOfKey(row.key) ?? [] }));
}

export interface BotTextUpdate {
  readonly key: string;
  readonly language: string;
  readonly body: string;
  readonly approved?: boolean;
  /** A message_templates name in the same language; null removes it; omitted keeps it. */
  readonly templateName?: string | null;
  /** The admin's recruiter id. */
  readonly updatedBy: string | null;
}

/**
 * Creates or replaces one text. Refused with BadRequestError, changing nothing: an unknown key (new
 * affirmation variants `affirmation.<n>` are allowed), a language other than es/en/pt, an empty or too long
 * body, placeholders other than the key's own or a missing one, any text that promises work, and a template
 * that does not exist in that language or whose variables do not match the placeholders.
 */
export async function updateBotText(q: Queryable, update: BotTextUpdate, now: Date): Promise<BotTextListing> {
  const variables = variablesOfKey(update.key);
  if (variables === undefined) throw new BadRequestError(`key: "${update.key.slice(0, 60)}" is not a text the bot uses`);
  if (!isBotLanguage(update.language)) throw new BadRequestError('language: must be es, en or pt');
  const body = update.body.trim();
  const isLabel = labelTextKeys.includes(update.key);
  const maxLength = isLabel ? MAX_LABEL_LENGTH : MAX_BODY_LENGTH;
  if (body.length === 0 || body.length > maxLength) throw new BadRequestError(`body: must be 1 to ${maxLength} characters`);
  const used = new Set(placeholdersOf(body));
  const unknown = [...used].filter((name) => !variables.includes(name));
  if (unknown.length > 0) {
    throw new BadRequestError(`body: {${unknown[0]}} is not a placeholder of "${update.key}" (it has ${variables.length === 0 ? 'none' : variables.map((name) => `{${name}}`).join(', ')})`);
  }
  const missing = variables.filter((name) => !used.has(name));
  if (missing.length > 0) throw new BadRequestError(`body: must contain {${missing[0]}}`);
  if (promisesWork(body)) throw new BadRequestError('body: the bot never promises work (words like "guaranteed", "hired", "contratado" are refused)');
  const template = update.templateName;
  if (template !== undefined && template !== null) {
    if (isLabel) throw new BadRequestError('templateName: labels are never sent alone');
    const [found] = await q.query<{ variableCount: number }>(
      'SELECT jsonb_array_length(variables) AS variable_count FROM message_templates WHERE name = :name AND language = :language',
      { name: template, language: update.language },
    );
    if (found === undefined) throw new BadRequestError(`templateName: no template "${template.slice(0, 100)}" in ${update.language}`);
    if (found.variableCount !== variables.length) {
      throw new BadRequestError(`templateName: "${template}" has ${found.variableCount} variable(s), "${update.key}" has ${variables.length} placeholder(s)`);
    }
  }
  const [row] = await q.query<BotTextRow>(
    `INSERT INTO bot_texts (key, language, body, approved, template_name, updated_at, updated_by)
     VALUES (:key, :language, :body, :approved::boolean, :template, :now::timestamptz, :updatedBy::uuid)
     ON CONFLICT (key, language) DO UPDATE
       SET body = EXCLUDED.body, approved = EXCLUDED.approved,
           template_name = CASE WHEN :keepTemplate::boolean THEN bot_texts.template_name ELSE EXCLUDED.template_name END,
           updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by
     RETURNING ${rowColumns}`,
    {
      key: update.key,
      language: update.language,
      body,
      approved: update.approved ?? true,
      template: template ?? null,
      keepTemplate: template === undefined,
      now: now.toISOString(),
      updatedBy: update.updatedBy,
    },
  );
  return { ...row!, variables };
}
