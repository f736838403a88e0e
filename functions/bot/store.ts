import type { Queryable } from '../data/db.ts';
import type { StoredStatus } from '../domain/pipeline.ts';
import type { StoredShift } from '../../web/src/features/apply/form/schema.ts';
import type { TraceEntry } from './agents/outcome.ts';
import { startOfLocalDay } from './clock.ts';
import { type BotState, botStateSchema, type FlowContext, type FlowDecision, initialBotState, type PlannedMessage, type StoredPhotoKind } from './flow.ts';
import type { BotLanguage } from './language.ts';
import type { BotSettings } from './settings.ts';
import type { BotTextLibrary } from './texts.ts';

/**
 * The bot's persistence, for the wiring (a bot job per conversation event), all inside ONE transaction:
 *
 *   const state = await lockBotState(tx, aspirantId);                        // serializes the aspirant's events
 *   const context = await loadFlowContext(tx, { aspirantId, conversationId, now, settings, library });
 *   const decision = await runBot(deps, state, event, context);              // engine.ts
 *   const { send } = await applyBotDecision(tx, { aspirantId, conversationId, decision });
 *   for (const message of send) {                                             // only the steps this run claimed
 *     const text = library.render(message.text, decision.language, { seed: aspirantId, delivery: message.delivery });
 *     // write the outbound message + outbox row with idempotency key `bot:${message.stepKey}` (issue 3's outbound)
 *   }
 *   await recordBotTraces(tx, { conversationId, messageId: firstBotMessageId ?? inboundMessageId, entries: decision.trace });
 *   // enqueue a `reminder_due` job at decision.wakeAt (dedupe key `bot-wake:${aspirantId}:${decision.wakeAt}`)
 *
 * A redelivered or concurrent event finds its steps already claimed and sends nothing again.
 */

/**
 * The aspirant's bot state, locked until the transaction ends (created on first use). One statement: the no-op
 * update on conflict locks the existing row and returns it as it is.
 */
export async function lockBotState(tx: Queryable, aspirantId: string): Promise<BotState> {
  const [row] = await tx.query<{ state: unknown }>(
    `INSERT INTO bot_flow_states (aspirant_id, state) VALUES (:aspirantId::uuid, :state::jsonb)
     ON CONFLICT (aspirant_id) DO UPDATE SET updated_at = bot_flow_states.updated_at
     RETURNING state`,
    { aspirantId, state: JSON.stringify(initialBotState) },
  );
  return botStateSchema.parse(row!.state);
}

/** Everything the flow needs to know, read from the aspirant's rows. */
export async function loadFlowContext(
  tx: Queryable,
  input: { aspirantId: string; conversationId: string; now: Date; settings: BotSettings; library: BotTextLibrary },
): Promise<Omit<FlowContext, 'formUrl'>> {
  // One round trip: the aspirant, the conversation, today's automated messages, the submissions and the photos.
  const [aspirant] = await tx.query<{
    status: StoredStatus;
    language: BotLanguage | null;
    optedOutAt: string | null;
    dateOfBirth: string | null;
    guardianConsentAt: string | null;
    shiftPreferences: StoredShift[];
    conversationFound: boolean;
    botPaused: boolean;
    windowExpiresAt: string | null;
    submissions: number;
    sentToday: number;
    photos: { id: string; kind: StoredPhotoKind }[];
  }>(
    `SELECT a.status, a.language, a.opted_out_at, a.date_of_birth, a.guardian_consent_at, a.shift_preferences,
            c.id IS NOT NULL AS conversation_found, c.bot_paused, c.window_expires_at,
            (SELECT count(*) FROM form_submissions WHERE aspirant_id = a.id)::int AS submissions,
            (SELECT count(*) FROM bot_steps WHERE aspirant_id = a.id AND created_at >= :dayStart::timestamptz)::int AS sent_today,
            coalesce((SELECT jsonb_agg(jsonb_build_object('id', p.id, 'kind', p.kind) ORDER BY p.created_at, p.id) FROM photos p WHERE p.aspirant_id = a.id),
                     '[]'::jsonb) AS photos
       FROM aspirants a
       LEFT JOIN conversations c ON c.id = :conversationId::uuid AND c.aspirant_id = a.id
      WHERE a.id = :id::uuid`,
    { id: input.aspirantId, conversationId: input.conversationId, dayStart: startOfLocalDay(input.now, input.settings.timeZone).toISOString() },
  );
  if (aspirant === undefined) throw new Error(`no aspirant ${input.aspirantId}`);
  if (!aspirant.conversationFound) throw new Error(`no conversation ${input.conversationId} for aspirant ${input.aspirantId}`);
  const language = aspirant.language ?? input.settings.defaultLanguage;
  return {
    now: input.now,
    settings: input.settings,
    aspirant: {
      id: input.aspirantId,
      status: aspirant.status,
      language: aspirant.language,
      optedOut: aspirant.optedOutAt !== null,
      dateOfBirth: aspirant.dateOfBirth,
      guardianConsent: aspirant.guardianConsentAt !== null,
      shiftPreferences: aspirant.shiftPreferences,
    },
    conversation: { paused: aspirant.botPaused, windowExpiresAt: aspirant.windowExpiresAt },
    formSubmitted: aspirant.submissions > 0,
    photos: aspirant.photos,
    automatedMessagesToday: aspirant.sentToday,
    templateKeys: input.library.templateKeys(language),
  };
}

export interface AppliedDecision {
  /** The messages this run claimed: send exactly these. */
  readonly send: readonly PlannedMessage[];
  /** The aspirant row changed (status, language, shifts, photos): publish it. */
  readonly aspirantChanged: boolean;
  /** The conversation row changed (bot state, paused, needs recruiter): publish it. */
  readonly conversationChanged: boolean;
}

/**
 * Claims the decision's steps (bot_steps; a step claimed before is skipped), saves the state and writes what
 * the decision changes on the conversation, the aspirant and the photos.
 */
export async function applyBotDecision(
  tx: Queryable,
  input: { aspirantId: string; conversationId: string; decision: FlowDecision; now: Date },
): Promise<AppliedDecision> {
  const { decision } = input;
  const now = input.now.toISOString();
  const claimed =
    decision.messages.length === 0
      ? []
      : await tx.query<{ stepKey: string }>(
          `INSERT INTO bot_steps (aspirant_id, step_key, conversation_id, text_key, created_at)
           SELECT :aspirantId::uuid, step->>'stepKey', :conversationId::uuid, step->>'textKey', :now::timestamptz
             FROM jsonb_array_elements(:steps::jsonb) AS step
           ON CONFLICT (aspirant_id, step_key) DO NOTHING RETURNING step_key`,
          {
            aspirantId: input.aspirantId,
            conversationId: input.conversationId,
            steps: JSON.stringify(decision.messages.map((message) => ({ stepKey: message.stepKey, textKey: message.text.textKey }))),
            now,
          },
        );
  // In the decision's order; a key said twice is claimed (and sent) once.
  const unsent = new Set(claimed.map((row) => row.stepKey));
  const send = decision.messages.filter((message) => unsent.delete(message.stepKey));
  // The state, the conversation and the aspirant in one statement; each UPDATE writes only what changes.
  const [changed] = await tx.query<{ conversationChanged: boolean; aspirantChanged: boolean }>(
    `WITH flow AS (
       UPDATE bot_flow_states SET state = :state::jsonb, updated_at = :now::timestamptz WHERE aspirant_id = :aspirantId::uuid),
     conversation AS (
       UPDATE conversations
          SET bot_state = :phase, bot_paused = coalesce(:botPaused::boolean, bot_paused), needs_recruiter = coalesce(:needsRecruiter::boolean, needs_recruiter)
        WHERE id = :conversationId::uuid
          AND (bot_state IS DISTINCT FROM :phase OR bot_paused IS DISTINCT FROM coalesce(:botPaused::boolean, bot_paused)
               OR needs_recruiter IS DISTINCT FROM coalesce(:needsRecruiter::boolean, needs_recruiter))
        RETURNING id),
     aspirant AS (
       UPDATE aspirants
          SET status = coalesce(:status, status), language = coalesce(language, :language),
              shift_preferences = coalesce(:shifts::jsonb, shift_preferences), updated_at = :now::timestamptz
        WHERE id = :aspirantId::uuid
          AND (:status::text IS NOT NULL OR (language IS NULL AND :language::text IS NOT NULL) OR :shifts::jsonb IS NOT NULL)
        RETURNING id)
     SELECT EXISTS (SELECT 1 FROM conversation) AS conversation_changed, EXISTS (SELECT 1 FROM aspirant) AS aspirant_changed`,
    {
      aspirantId: input.aspirantId,
      conversationId: input.conversationId,
      state: JSON.stringify(decision.state),
      phase: decision.phase,
      botPaused: decision.conversation.botPaused ?? null,
      needsRecruiter: decision.conversation.needsRecruiter ?? null,
      status: decision.status,
      language: decision.aspirant.language ?? null,
      shifts: decision.aspirant.shiftPreferences === undefined ? null : JSON.stringify(decision.aspirant.shiftPreferences),
      now,
    },
  );
  let photosChanged = false;
  for (const photo of decision.photoKinds) {
    const updated = await tx.query("UPDATE photos SET kind = :kind WHERE id = :id::uuid AND aspirant_id = :aspirantId::uuid AND kind = 'other' RETURNING id", {
      id: photo.photoId,
      aspirantId: input.aspirantId,
      kind: photo.kind,
    });
    photosChanged ||= updated.length > 0;
  }
  return { send, aspirantChanged: changed!.aspirantChanged || photosChanged, conversationChanged: changed!.conversationChanged };
}

/** The decision's trace entries, attached to a message (the bot's reply, or the inbound message it answered). */
export async function recordBotTraces(tx: Queryable, input: { conversationId: string; messageId: string | null; entries: readonly TraceEntry[]; now: Date }): Promise<void> {
  if (input.entries.length === 0) return;
  await tx.query(
    `INSERT INTO bot_traces (conversation_id, message_id, agent, intent, confidence, latency_ms, summary, detail, created_at)
     SELECT :conversationId::uuid, :messageId::uuid, e->>'agent', e->>'intent', (e->>'confidence')::real, (e->>'latencyMs')::int,
            e->>'summary', NULLIF(e->'detail', 'null'::jsonb), :now::timestamptz + ((e->>'position')::int * interval '1 millisecond')
       FROM jsonb_array_elements(:entries::jsonb) AS e`,
    {
      conversationId: input.conversationId,
      messageId: input.messageId,
      entries: JSON.stringify(input.entries.map((entry, position) => ({ ...entry, detail: entry.detail ?? null, position }))),
      now: input.now.toISOString(),
    },
  );
}
