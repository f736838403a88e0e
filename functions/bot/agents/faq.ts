import type { Passage } from '../../knowledge/search.ts';
import { LlmError, type LlmProvider } from '../../llm/provider.ts';
import type { BotLanguage } from '../language.ts';
import type { TextRef } from '../texts.ts';
import { groundingProblem } from './grounding.ts';
import type { TraceEntry } from './outcome.ts';

export interface FaqDeps {
  readonly llm: LlmProvider;
  /** functions/knowledge/search.ts `searchPassages`, bound to a database. */
  readonly searchPassages: (question: string, language: BotLanguage, limit: number) => Promise<Passage[]>;
}

export interface FaqResult {
  readonly reply: TextRef;
  /** No grounded answer: a recruiter answers instead. */
  readonly needsRecruiter: boolean;
  readonly trace: TraceEntry;
}

const PASSAGES_PER_QUESTION = 4;

/** "Title › Heading", without the title twice when the document's first heading repeats it. */
const sourceOf = (passage: Passage): string => {
  if (!passage.heading) return passage.documentTitle;
  return passage.heading === passage.documentTitle || passage.heading.startsWith(`${passage.documentTitle} › `) ? passage.heading : `${passage.documentTitle} › ${passage.heading}`;
};

/**
 * The FAQ agent: answers only from knowledge-base passages, and cites the passage in the message. No passage,
 * no answer from the model, or an answer that is not grounded in its passages → "I'll ask a recruiter" and the
 * conversation is flagged.
 */
export async function answerFaq(deps: FaqDeps, question: string, language: BotLanguage, confidence: number, clock: () => number): Promise<FaqResult> {
  const started = clock();
  const unknown = (summary: string, detail: Record<string, unknown> = {}): FaqResult => ({
    reply: { textKey: 'faq.unknown', variables: {} },
    needsRecruiter: true,
    trace: { agent: 'faq', intent: 'faq', confidence, latencyMs: Math.round(clock() - started), summary: `${summary}; asked a recruiter`, detail },
  });
  const passages = await deps.searchPassages(question, language, PASSAGES_PER_QUESTION);
  if (passages.length === 0) return unknown('no knowledge-base passage matches');
  let result;
  try {
    result = await deps.llm.answerFromPassages({ question, language, passages });
  } catch (error) {
    if (error instanceof LlmError) return unknown(`the model failed (${error.kind})`);
    throw error;
  }
  const considered = { passageIds: passages.map((passage) => passage.id), via: result.via };
  if (result.kind === 'no_answer') return unknown(`no answer in ${passages.length} passage(s): ${result.reason}`, considered);
  const cited = passages.filter((passage) => result.passageIds.includes(passage.id));
  const problem = groundingProblem(result.text, cited, language);
  if (problem !== undefined) return unknown(`answer refused: it ${problem}`, considered);
  const source = sourceOf(cited[0]!);
  return {
    reply: { textKey: 'faq.answer', variables: { answer: result.text, source } },
    needsRecruiter: false,
    trace: {
      agent: 'faq',
      intent: 'faq',
      confidence,
      latencyMs: Math.round(clock() - started),
      summary: `answered from "${source}"`,
      detail: {
        via: result.via,
        citations: cited.map((passage) => ({ passageId: passage.id, documentId: passage.documentId, title: passage.documentTitle, heading: passage.heading })),
      },
    },
  };
}
