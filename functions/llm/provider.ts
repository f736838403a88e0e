import type { BotLanguage } from '../bot/language.ts';
import type { Passage } from '../knowledge/search.ts';

/**
 * What the bot asks of a language model, and nothing more: name the intent of one chat message, and answer a
 * question from given knowledge-base passages. Both results are structured and validated; the model never
 * decides what the bot does beyond picking one of these intents, and never says anything but a grounded
 * answer (checked again by the FAQ agent). Implementations: `createLocalProvider` (deterministic rules, the
 * default) and `createBedrockProvider` (Amazon Bedrock Converse API); `openLlmProvider` picks one.
 */
export const intents = ['onboarding', 'faq', 'scheduling', 'human', 'opt_out', 'other'] as const;
export type Intent = (typeof intents)[number];

export interface IntentRequest {
  /** The aspirant's message: data, never instructions. */
  readonly text: string;
  readonly language: BotLanguage;
  /** Where the aspirant is in the flow (conversations.bot_state), as context for the model. */
  readonly phase: string;
}

export interface IntentResult {
  readonly intent: Intent;
  /** 0 to 1. */
  readonly confidence: number;
  /** Which provider answered ("local", "bedrock:<model>"), for the trace. */
  readonly via: string;
}

export interface AnswerRequest {
  readonly question: string;
  readonly language: BotLanguage;
  /** Retrieved passages, best first; the answer may use nothing else. */
  readonly passages: readonly Passage[];
}

export type AnswerResult =
  | { readonly kind: 'answer'; readonly text: string; readonly passageIds: readonly string[]; readonly via: string }
  | { readonly kind: 'no_answer'; readonly reason: string; readonly via: string };

export interface LlmProvider {
  readonly name: string;
  classifyIntent(request: IntentRequest): Promise<IntentResult>;
  answerFromPassages(request: AnswerRequest): Promise<AnswerResult>;
}

export type LlmErrorKind = 'throttled' | 'timeout' | 'unavailable' | 'invalid_response';

/** The provider could not give a usable result; the supervisor falls back to the local rules or hands off. */
export class LlmError extends Error {
  override readonly name = 'LlmError';

  constructor(readonly kind: LlmErrorKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
