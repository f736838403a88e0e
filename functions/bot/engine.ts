import { supervise, type SupervisorDeps } from './agents/supervisor.ts';
import { type BotEvent, type BotState, currentPhase, decide, type FlowContext, type FlowDecision, needsFormUrl, needsSupervisor } from './flow.ts';
import { detectLanguage } from './language.ts';

/**
 * One bot event, start to decision: fetches the form URL when the flow may need it, runs the supervisor on
 * free text the flow does not expect, and lets the pure flow decide. Call it inside the transaction that holds
 * the aspirant's bot state (store.ts `lockBotState`), then apply the decision with `applyBotDecision`.
 */
export interface BotEngineDeps extends SupervisorDeps {
  /** The aspirant's current form-link URL (forms/links.ts `ensureFormLink(...).url`). */
  readonly formUrl: () => Promise<string>;
}

export async function runBot(deps: BotEngineDeps, state: BotState, event: BotEvent, context: Omit<FlowContext, 'formUrl'>): Promise<FlowDecision> {
  const clock = deps.clock ?? (() => performance.now());
  const started = clock();
  const ctx: FlowContext = { ...context, formUrl: needsFormUrl(context, event) ? await deps.formUrl() : null };
  let routedEvent = event;
  if (needsSupervisor(state, event, ctx)) {
    const text = event.text ?? '';
    const routed = await supervise(deps, {
      text,
      language: ctx.aspirant.language ?? detectLanguage(text) ?? ctx.settings.defaultLanguage,
      phase: currentPhase(state, ctx),
      previousIntent: state.lastIntent,
      shiftPreferences: ctx.aspirant.shiftPreferences,
    });
    routedEvent = { ...event, routed };
  }
  const decision = decide(state, routedEvent, ctx);
  // The flow's own entry (the last) gets the whole event's latency, supervisor and agents included.
  const trace = decision.trace.map((entry, index) => (index === decision.trace.length - 1 ? { ...entry, latencyMs: Math.round(clock() - started) } : entry));
  return { ...decision, trace };
}
