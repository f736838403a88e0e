import type { Queryable } from '../data/db.ts';
import type { BotLanguage } from '../bot/language.ts';
import { questionConcepts } from './terms.ts';

/** A chunk of an admin-uploaded document: what the FAQ agent may answer from, and cites. */
export interface Passage {
  readonly id: string;
  readonly documentId: string;
  readonly documentTitle: string;
  readonly documentLanguage: BotLanguage;
  readonly heading: string | null;
  readonly body: string;
  readonly rank: number;
}

/** PostgreSQL's snowball configuration per language: present on PostgreSQL 15, Aurora 16 and PGlite. */
export const SEARCH_CONFIGS: Readonly<Record<BotLanguage, string>> = { es: 'spanish', en: 'english', pt: 'portuguese' };

/**
 * The tsvector stored with a passage (parameters :heading and :body already folded, :config the document's
 * language): the heading weighs most; the body is indexed both as plain words (prefix-searchable, any
 * language) and stemmed in the document's language.
 */
export const PASSAGE_VECTOR_SQL = (heading: string, body: string, config: string) =>
  `setweight(to_tsvector('simple', coalesce(${heading}, '')), 'A') || setweight(to_tsvector('simple', ${body}), 'B')` +
  ` || setweight(to_tsvector(${config}::regconfig, ${body}), 'C')`;

const MAX_QUESTION_TERMS = 40;

/**
 * Passages matching any word of the question (or a synonym of its topic), best first by ts_rank. The question
 * is folded and reduced to plain [a-z0-9] terms in JavaScript, so no user text reaches the tsquery parser as
 * syntax. Empty when the question has no searchable words or nothing matches.
 */
export async function searchPassages(q: Queryable, question: string, language: BotLanguage, limit: number): Promise<Passage[]> {
  const terms = questionConcepts(question).flat().slice(0, MAX_QUESTION_TERMS);
  if (terms.length === 0 || limit < 1) return [];
  return q.query<Passage>(
    `WITH query AS (
       SELECT to_tsquery('simple', :prefixes) || to_tsquery(:config::regconfig, :words) AS terms
     )
     SELECT p.id, p.document_id, d.title AS document_title, d.language AS document_language, p.heading, p.body, ts_rank(p.search_vector, query.terms) AS rank
       FROM knowledge_passages p JOIN knowledge_documents d ON d.id = p.document_id, query
      WHERE p.search_vector @@ query.terms
      ORDER BY rank DESC, p.document_id, p.position
      LIMIT :limit::int`,
    {
      prefixes: [...new Set(terms.map((term) => (term.prefix ? `${term.text}:*` : term.text)))].join(' | '),
      words: [...new Set(terms.map((term) => term.text))].join(' | '),
      config: SEARCH_CONFIGS[language],
      limit: Math.min(limit, 20),
    },
  );
}
