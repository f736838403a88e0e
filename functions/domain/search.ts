import { BadRequestError } from '../shared/errors.ts';

/**
 * What a search box means: phone digits (matched as the number's suffix — "the last digits") or a name
 * prefix. Both become LIKE prefix patterns that the indexes in 0001 serve: the phone one over reverse(phone),
 * the name one over lower(coalesce(full_name, whatsapp_name, '')), both text_pattern_ops.
 */
export type SearchTerm =
  | { readonly kind: 'phone'; readonly reversedDigitsPattern: string }
  | { readonly kind: 'name'; readonly prefixPattern: string };

const PHONE_LIKE = /^\+?[\d\s().-]+$/;
export const MAX_SEARCH_LENGTH = 100;

export function parseSearchTerm(raw: string, field: string): SearchTerm {
  const term = raw.trim();
  if (term === '' || term.length > MAX_SEARCH_LENGTH) {
    throw new BadRequestError(`${field}: must be 1 to ${MAX_SEARCH_LENGTH} characters`);
  }
  if (PHONE_LIKE.test(term) && /\d/.test(term)) {
    const digits = term.replace(/\D/g, '');
    return { kind: 'phone', reversedDigitsPattern: `${[...digits].reverse().join('')}%` };
  }
  return { kind: 'name', prefixPattern: `${escapeLike(term.toLowerCase())}%` };
}

/** Makes `%`, `_` and the escape character itself literal in a LIKE pattern (backslash is LIKE's default escape). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

/** The search as a SQL condition on an aspirants alias, binding `:search`. */
export function searchConditionSql(term: SearchTerm, alias: string): string {
  return term.kind === 'phone'
    ? `reverse(${alias}.phone) LIKE :search`
    : `lower(coalesce(${alias}.full_name, ${alias}.whatsapp_name, '')) LIKE lower(:search)`;
}

export function searchParam(term: SearchTerm): string {
  return term.kind === 'phone' ? term.reversedDigitsPattern : term.prefixPattern;
}
