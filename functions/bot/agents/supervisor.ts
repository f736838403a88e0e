import type { StoredShift } from '../../../web/src/features/apply/form/schema.ts';
import { fold } from '../../knowledge/terms.ts';
import { type Intent, LlmError } from '../../llm/provider.ts';
import type { BotPhase } from '../flow.ts';
import type { BotLanguage } from '../language.ts';
import { answerFaq, type FaqDeps } from './faq.ts';
import type { AgentOutcome, TraceEntry } from './outcome.ts';
import { updateShifts } from './scheduling.ts';

/**
 * The supervisor: classifies one free-text message the flow did not expect (through the LLM provider) and routes
 * it to a domain agent — onboarding (repeat the current step), FAQ (knowledge base), scheduling (shift
 * preferences), handoff (a recruiter). Whatever the message says, the outcome can only be one of these routes
 * with a text from the library (or a grounded, cited FAQ answer); the model picks a route, nothing more.
 * Messages that try to instruct the bot are not even shown to the model.
 */
export interface SupervisorDeps extends FaqDeps {
  /** Milliseconds, for latencies (performance.now by default). */
  readonly clock?: () => number;
}

export interface SupervisorInput {
  readonly text: string;
  readonly language: BotLanguage;
  readonly phase: BotPhase;
  /** The previous routed intent: a second "other" in a row goes to a recruiter. */
  readonly previousIntent: Intent | null;
  readonly shiftPreferences: readonly StoredShift[];
}

/** Below this the classification is treated as "other". */
const MIN_CONFIDENCE = 0.5;

const INJECTION = [
  /\b(ignore|ignora|ignorar|ignorez|ignore as|desconsidera|disregard|forget|olvida|olvidate|esquece|esqueca)\b.{0,60}\b(instruc\w*|instructions?|rules?|reglas|regras|prompt|previous|anteriores?|above)\b/,
  /\b(system prompt|prompt del sistema|prompt do sistema|developer mode|modo desarrollador|modo desenvolvedor|jailbreak)\b/,
  /\b(you are now|from now on you|ahora eres|a partir de ahora eres|agora voce e|act as|actua como|aja como|pretend to be|finge ser|finja ser)\b/,
  /<\/?\s*(system|assistant|aspirant_message|aspirant_question|passage)\b/,
];

/** Whether a message tries to instruct the assistant rather than talk to it. */
export const looksLikePromptInjection = (text: string): boolean => INJECTION.some((pattern) => pattern.test(fold(text)));

export async function supervise(deps: SupervisorDeps, input: SupervisorInput): Promise<AgentOutcome> {
  const clock = deps.clock ?? (() => performance.now());
  const started = clock();
  const elapsed = () => Math.round(clock() - started);

  let intent: Intent;
  let confidence: number;
  let supervisorSummary: string;
  let via: string | undefined;
  if (looksLikePromptInjection(input.text)) {
    intent = 'other';
    confidence = 1;
    supervisorSummary = 'instructions to the assistant detected; the model was not consulted';
  } else {
    try {
      const classified = await deps.llm.classifyIntent({ text: input.text, language: input.language, phase: input.phase });
      via = classified.via;
      intent = classified.confidence >= MIN_CONFIDENCE ? classified.intent : 'other';
      confidence = classified.confidence;
      supervisorSummary = classified.confidence >= MIN_CONFIDENCE ? `classified as ${intent}` : `low confidence for ${classified.intent}: treated as other`;
    } catch (error) {
      if (!(error instanceof LlmError)) throw error;
      intent = 'human';
      confidence = 0;
      supervisorSummary = `the classifier failed (${error.kind}): handed to a recruiter`;
    }
  }
  const route = routeOf(intent, input.previousIntent);
  const supervisorTrace: TraceEntry = {
    agent: 'supervisor',
    intent,
    confidence,
    latencyMs: elapsed(),
    summary: `${supervisorSummary}; routed to ${route}`,
    ...(via !== undefined ? { detail: { via } } : {}),
  };
  const outcome = (rest: Omit<AgentOutcome, 'intent' | 'confidence' | 'trace'>, agentTrace: Omit<TraceEntry, 'latencyMs' | 'intent' | 'confidence'>): AgentOutcome => ({
    intent,
    confidence,
    ...rest,
    trace: [supervisorTrace, { intent, confidence, latencyMs: elapsed(), ...agentTrace }],
  });

  switch (route) {
    case 'onboarding':
      return outcome({ reply: 'currentStep', needsRecruiter: false }, { agent: 'onboarding', summary: 'repeated the current step' });
    case 'faq': {
      const answer = await answerFaq(deps, input.text, input.language, confidence, clock);
      return { intent, confidence, reply: answer.reply, needsRecruiter: answer.needsRecruiter, trace: [supervisorTrace, answer.trace] };
    }
    case 'scheduling': {
      const result = updateShifts(input.text, input.shiftPreferences, confidence, elapsed());
      return { intent, confidence, reply: result.reply, needsRecruiter: false, ...(result.shiftPreferences ? { shiftPreferences: result.shiftPreferences } : {}), trace: [supervisorTrace, result.trace] };
    }
    case 'handoff':
      return outcome({ reply: { textKey: 'handoff', variables: {} }, needsRecruiter: true }, { agent: 'handoff', summary: 'flagged the conversation for a recruiter' });
    case 'opt-out':
      // Opting out takes the keyword (STOP, BAJA, SAIR…), which ingestion handles; words alone only get the how-to.
      return outcome({ reply: { textKey: 'optout.how', variables: {} }, needsRecruiter: false }, { agent: 'opt-out', summary: 'explained how to stop the messages' });
    case 'fallback':
      return outcome({ reply: { textKey: 'fallback', variables: {} }, needsRecruiter: false }, { agent: 'fallback', summary: 'said what the assistant can help with' });
  }
}

export type Route = 'onboarding' | 'faq' | 'scheduling' | 'handoff' | 'opt-out' | 'fallback';

/** The routing table: intent → agent. A second unclear message in a row is a recruiter's job. */
export function routeOf(intent: Intent, previousIntent: Intent | null): Route {
  switch (intent) {
    case 'onboarding':
      return 'onboarding';
    case 'faq':
      return 'faq';
    case 'scheduling':
      return 'scheduling';
    case 'human':
      return 'handoff';
    case 'opt_out':
      return 'opt-out';
    case 'other':
      return previousIntent === 'other' ? 'handoff' : 'fallback';
  }
}
