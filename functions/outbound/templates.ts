import type { Queryable } from '../data/db.ts';
import type { ChannelId, TemplateRef } from '../channels/model.ts';
import type { Language, MessageTemplate } from '../generated/graphql.ts';
import { BadRequestError } from '../shared/errors.ts';

/**
 * Approved WhatsApp templates (table message_templates): outside the 24-hour window they are the only messages
 * a business may send. Each is approved per provider: a Twilio Content SID and/or a Meta template name and
 * language code.
 */
export interface TemplateRow {
  id: string;
  name: string;
  language: 'es' | 'en' | 'pt';
  body: string;
  variables: string[];
  twilioContentSid: string | null;
  metaTemplateName: string | null;
  metaLanguage: string | null;
}

const templateColumns = 'id, name, language, body, variables, twilio_content_sid, meta_template_name, meta_language';

/** The longest value of one variable; WhatsApp allows more, but a variable is a name, a date, a short phrase. */
export const MAX_TEMPLATE_VARIABLE_LENGTH = 256;

/** Approved templates, in one language or all, by language then name. */
export async function listTemplates(q: Queryable, language: Language | null | undefined): Promise<MessageTemplate[]> {
  const rows = await q.query<TemplateRow>(
    `SELECT ${templateColumns} FROM message_templates
      WHERE approved AND (:language::text IS NULL OR language = :language::text)
      ORDER BY language, name, id`,
    { language: language?.toLowerCase() ?? null },
  );
  return rows.map(toMessageTemplate);
}

export function toMessageTemplate(row: TemplateRow): MessageTemplate {
  return { id: row.id, name: row.name, language: row.language.toUpperCase() as Language, body: row.body, variables: row.variables };
}

/** An approved template by id, or undefined. */
export async function approvedTemplate(q: Queryable, id: string): Promise<TemplateRow | undefined> {
  const [row] = await q.query<TemplateRow>(`SELECT ${templateColumns} FROM message_templates WHERE id = :id::uuid AND approved`, { id });
  return row;
}

/**
 * The template as `channel`'s provider approved it, with these variables; undefined when it is not approved
 * on that channel.
 */
export function templateRefFor(template: Pick<TemplateRow, 'twilioContentSid' | 'metaTemplateName' | 'metaLanguage'>, channel: ChannelId, variables: readonly string[]): TemplateRef | undefined {
  if (channel === 'whatsapp_twilio') {
    return template.twilioContentSid === null ? undefined : { id: template.twilioContentSid, language: '', variables };
  }
  if (template.metaTemplateName === null || template.metaLanguage === null) return undefined;
  return { id: template.metaTemplateName, language: template.metaLanguage, variables };
}

/**
 * Checks values against the template's variables: one per variable, each a non-blank single line of at most
 * MAX_TEMPLATE_VARIABLE_LENGTH characters without runs of spaces (Meta refuses new lines, tabs and more than
 * four spaces in a row). A BadRequest names the offending variable.
 */
export function assertTemplateVariables(template: Pick<TemplateRow, 'variables'>, values: readonly string[]): void {
  if (values.length !== template.variables.length) {
    throw new BadRequestError(`variables: the template takes ${template.variables.length} value(s) (${template.variables.join(', ') || 'none'}), ${values.length} given`);
  }
  values.forEach((value, index) => {
    const problem =
      value.trim() === '' ? 'must not be empty'
      : value.length > MAX_TEMPLATE_VARIABLE_LENGTH ? `at most ${MAX_TEMPLATE_VARIABLE_LENGTH} characters`
      : /[\n\r\t]/.test(value) ? 'must be a single line without tabs'
      : / {5}/.test(value) ? 'must not hold more than four spaces in a row'
      : undefined;
    if (problem !== undefined) throw new BadRequestError(`variables.${index} (${template.variables[index]}): ${problem}`);
  });
}

/** The text the aspirant will read: `{{n}}` replaced by the n-th value. */
export function renderTemplate(body: string, values: readonly string[]): string {
  return body.replace(/\{\{(\d+)\}\}/g, (placeholder, position: string) => values[Number(position) - 1] ?? placeholder);
}
