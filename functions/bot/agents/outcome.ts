import type { StoredShift } from '../../../web/src/features/apply/form/schema.ts';
import type { Intent } from '../../llm/provider.ts';
import type { TextRef } from '../texts.ts';

/** One decision of the supervisor or an agent: a bot_traces row, shown to recruiters under the bot's message. */
export interface TraceEntry {
  readonly agent: string;
  readonly intent: string | null;
  readonly confidence: number | null;
  readonly latencyMs: number | null;
  readonly summary: string;
  /** Stored in bot_traces.detail: citations, the provider that answered… never the aspirant's text. */
  readonly detail?: Readonly<Record<string, unknown>>;
}

/**
 * What the supervisor and the agent it routed to decided about one free-text message. The flow turns it into
 * at most one reply and applies the effects; `currentStep` means "repeat where the aspirant stands" (onboarding).
 */
export interface AgentOutcome {
  readonly intent: Intent;
  readonly confidence: number;
  readonly reply: TextRef | 'currentStep' | null;
  /** Flag the conversation for a recruiter. */
  readonly needsRecruiter: boolean;
  /** The aspirant's new shift preferences (the scheduling agent). */
  readonly shiftPreferences?: readonly StoredShift[];
  readonly trace: readonly TraceEntry[];
}
