import { z } from 'zod';
import { pipelineStatuses, type StoredStatus } from '../domain/pipeline.ts';
import { isMinor, type StoredShift } from '../../web/src/features/apply/form/schema.ts';
import { fold } from '../knowledge/terms.ts';
import { intents } from '../llm/provider.ts';
import type { AgentOutcome, TraceEntry } from './agents/outcome.ts';
import { isQuietAt, nextLocalMidnight, quietHoursEnd } from './clock.ts';
import { type BotLanguage, detectLanguage } from './language.ts';
import type { BotSettings } from './settings.ts';
import type { ChecklistKind, MessageTextKey, TextRef } from './texts.ts';

/**
 * The recruiting flow as a pure state machine: (state, event, context) → decision. Nothing here reads a clock,
 * a database or a network; the wiring loads the context, runs the supervisor for free text (engine.ts), calls
 * `decide`, and applies the decision in one transaction (store.ts).
 *
 * welcome (an automated assistant of the agency) → personal form link → [minor: guardian consent, no photos
 * until a recruiter records it] → photo request with the checklist → each photo acknowledged, the missing ones
 * named → checklist met → affirmation, "a recruiter will contact you" → in_review.
 *
 * Prompts (welcome, form link, reminders, consent request, photo request, affirmation, resume) are owed until
 * delivered: a prompt that cannot go out now (paused, opted out, quiet hours, daily cap, window closed without
 * a template) stays owed and goes out on a later event. Replies to one inbound message or photo go out now or
 * never. Every message has a step key unique per aspirant (`welcome`, `form-link:1`, `reminder:2`,
 * `photo-request:1`, `affirmation`, `resume:3`, `reply:<messageId>`, `photo-ack:<photoId>`): the wiring claims
 * it in bot_steps in the same transaction as the outbound message, so a duplicate or concurrent event sends
 * nothing twice.
 *
 * Quiet hours hold only proactive messages (reminders, resumes, prompts after a recruiter's action): the answer
 * to the aspirant's own message, form or photo goes out at once, as they are there waiting for it.
 */

export const botPhases = ['not_started', 'welcomed', 'awaiting_form', 'awaiting_guardian_consent', 'awaiting_photos', 'completed'] as const;
/** conversations.bot_state. */
export type BotPhase = (typeof botPhases)[number];

/** The bot's memory per aspirant (bot_flow_states.state). Facts that live elsewhere (form, photos, consent) are context. */
export interface BotState {
  readonly version: 1;
  /** When the welcome went out: messages the aspirant sent before it are answered by it. */
  readonly welcomedAt: string | null;
  /** When the first form link went out: reminders count from here. */
  readonly formLinkSentAt: string | null;
  /** Step keys of the prompts already sent. */
  readonly delivered: readonly string[];
  readonly handBacks: number;
  /** A recruiter handed back and the current step has not been repeated yet. */
  readonly resumeOwed: boolean;
  /** The supervisor's last intent: a second "other" in a row goes to a human. */
  readonly lastIntent: (typeof intents)[number] | null;
}

export const initialBotState: BotState = { version: 1, welcomedAt: null, formLinkSentAt: null, delivered: [], handBacks: 0, resumeOwed: false, lastIntent: null };

export const botStateSchema: z.ZodType<BotState> = z.object({
  version: z.literal(1),
  welcomedAt: z.string().nullable(),
  formLinkSentAt: z.string().nullable(),
  delivered: z.array(z.string()),
  handBacks: z.number().int().min(0),
  resumeOwed: z.boolean(),
  lastIntent: z.enum(intents).nullable(),
});

/** Decided by ingestion for each inbound message: only 'eligible' ones get an automated reply. */
export type AutoReply = 'eligible' | 'stale' | 'throttled' | 'keyword';

export type StoredPhotoKind = ChecklistKind | 'other';

export type BotEvent =
  | {
      readonly type: 'inbound_message';
      readonly messageId: string;
      readonly text: string | null;
      readonly hasMedia: boolean;
      readonly occurredAt: string;
      readonly autoReply: AutoReply;
      /** Set by the engine when the supervisor handled the text (see `needsSupervisor`). */
      readonly routed?: AgentOutcome;
    }
  | { readonly type: 'form_opened'; readonly formLinkId: string }
  | { readonly type: 'form_submitted'; readonly submissionId: string; readonly dateOfBirth: string }
  | { readonly type: 'photo_stored'; readonly photoId: string; readonly kind: StoredPhotoKind; readonly caption?: string | null }
  | { readonly type: 'recruiter_took_over' }
  | { readonly type: 'recruiter_handed_back' }
  | { readonly type: 'opted_out' }
  | { readonly type: 'opted_in' }
  /** The wake-up the previous decision asked for (`wakeAt`): due reminders, and prompts held for quiet hours or the cap. */
  | { readonly type: 'reminder_due' }
  | { readonly type: 'guardian_consent_recorded' };

export interface FlowContext {
  readonly now: Date;
  readonly settings: BotSettings;
  readonly aspirant: {
    readonly id: string;
    readonly status: StoredStatus;
    readonly language: BotLanguage | null;
    readonly optedOut: boolean;
    readonly dateOfBirth: string | null;
    readonly guardianConsent: boolean;
    readonly shiftPreferences: readonly StoredShift[];
  };
  readonly conversation: { readonly paused: boolean; readonly windowExpiresAt: string | null };
  readonly formSubmitted: boolean;
  /** The aspirant's stored photos, including the one a photo_stored event is about. */
  readonly photos: readonly { readonly id: string; readonly kind: StoredPhotoKind }[];
  /** Automated messages sent to this aspirant since local midnight (bot_steps). */
  readonly automatedMessagesToday: number;
  /** The aspirant's current personal form link; needed while the form is not submitted. */
  readonly formUrl: string | null;
  /** Texts with an approved WhatsApp template in the aspirant's language: sendable outside the window. */
  readonly templateKeys: ReadonlySet<MessageTextKey>;
}

export interface PlannedMessage {
  readonly stepKey: string;
  readonly text: TextRef;
  /** 'template': outside the 24-hour window, as the text's approved WhatsApp template. */
  readonly delivery: 'session' | 'template';
}

export type HoldReason = 'opted_out' | 'paused' | 'quiet_hours' | 'daily_cap' | 'window_closed' | 'not_eligible';

export interface FlowDecision {
  readonly state: BotState;
  /** conversations.bot_state. */
  readonly phase: BotPhase;
  /** The language to render the messages in. */
  readonly language: BotLanguage;
  /** To send now, in order. */
  readonly messages: readonly PlannedMessage[];
  /** Not sent, and why: owed prompts go out later, replies never. */
  readonly held: readonly { readonly stepKey: string; readonly textKey: MessageTextKey; readonly reason: HoldReason }[];
  /** The aspirant's pipeline status to set (only ever forward), or null. */
  readonly status: StoredStatus | null;
  readonly conversation: { readonly botPaused?: boolean; readonly needsRecruiter?: boolean };
  readonly aspirant: { readonly language?: BotLanguage; readonly shiftPreferences?: readonly StoredShift[] };
  /** Checklist kinds given to photos that arrived unclassified. */
  readonly photoKinds: readonly { readonly photoId: string; readonly kind: ChecklistKind }[];
  /** When to deliver a `reminder_due` event; null when nothing is pending on time. */
  readonly wakeAt: string | null;
  readonly trace: readonly TraceEntry[];
}

// Statuses a recruiter decided; the bot never moves an aspirant out of them.
const FINAL_STATUSES: ReadonlySet<StoredStatus> = new Set(['accepted', 'rejected', 'withdrawn']);
const HOUR_MS = 3_600_000;

interface Facts {
  readonly formSubmitted: boolean;
  readonly minor: boolean;
  readonly guardianConsent: boolean;
  readonly optedOut: boolean;
  readonly paused: boolean;
  readonly photos: readonly { readonly id: string; readonly kind: StoredPhotoKind }[];
}

/** What the context says, plus what the event itself establishes (it may arrive before the context shows it). */
function factsOf(ctx: FlowContext, event?: BotEvent): Facts {
  const dateOfBirth = event?.type === 'form_submitted' ? event.dateOfBirth : ctx.aspirant.dateOfBirth;
  const photos = event?.type === 'photo_stored' && !ctx.photos.some((photo) => photo.id === event.photoId) ? [...ctx.photos, { id: event.photoId, kind: event.kind }] : ctx.photos;
  return {
    formSubmitted: ctx.formSubmitted || event?.type === 'form_submitted',
    minor: dateOfBirth !== null && isMinor(dateOfBirth, ctx.now),
    guardianConsent: ctx.aspirant.guardianConsent || event?.type === 'guardian_consent_recorded',
    optedOut: event?.type === 'opted_out' ? true : event?.type === 'opted_in' ? false : ctx.aspirant.optedOut,
    paused: event?.type === 'recruiter_took_over' ? true : event?.type === 'recruiter_handed_back' ? false : ctx.conversation.paused,
    photos,
  };
}

const missingKinds = (settings: BotSettings, photos: Facts['photos']): ChecklistKind[] =>
  settings.photoChecklist.filter((kind) => !photos.some((photo) => photo.kind === kind));

function phaseOf(state: BotState, facts: Facts, settings: BotSettings): BotPhase {
  if (!facts.formSubmitted) {
    if (state.delivered.includes('form-link:1')) return 'awaiting_form';
    return state.delivered.includes('welcome') ? 'welcomed' : 'not_started';
  }
  if (facts.minor && !facts.guardianConsent) return 'awaiting_guardian_consent';
  return missingKinds(settings, facts.photos).length === 0 ? 'completed' : 'awaiting_photos';
}

const CAPTION_KINDS: ReadonlyArray<readonly [ChecklistKind, RegExp]> = [
  ['headshot', /\b(rostro|cara|headshot|face|rosto|close)\b/],
  ['full_body', /\b(cuerpo|full ?body|corpo)\b/],
  ['profile', /\b(perfil|profile|lado|side)\b/],
];

/** An unclassified photo becomes the kind its caption names, else the first kind still missing (the order asked). */
function kindForPhoto(caption: string | null | undefined, missing: readonly ChecklistKind[]): ChecklistKind | undefined {
  const folded = fold(caption ?? '');
  return CAPTION_KINDS.find(([kind, pattern]) => missing.includes(kind) && pattern.test(folded))?.[0] ?? missing[0];
}

/**
 * What a stored photo means in the phase it arrived in: the checklist kind it gets (when unclassified) and the
 * reply. Before the form: thanked, with the form link. A minor before consent: not counted, "no photos yet".
 * While photos are requested: acknowledged, the missing ones named; the one that completes the checklist gets
 * no reply of its own (the affirmation is the answer). After that: thanked.
 */
function acknowledgePhoto(
  event: Extract<BotEvent, { type: 'photo_stored' }>,
  phase: BotPhase,
  photos: Facts['photos'],
  ctx: FlowContext,
): { assigned?: ChecklistKind; reply?: TextRef } {
  if (phase === 'awaiting_guardian_consent') return { reply: { textKey: 'guardian.consent.pending', variables: {} } };
  const stored = photos.find((photo) => photo.id === event.photoId)!;
  const assigned = stored.kind === 'other' ? kindForPhoto(event.caption, missingKinds(ctx.settings, photos)) : undefined;
  const kind = assigned ?? stored.kind;
  const missing = missingKinds(ctx.settings, photos.map((photo) => (photo.id === stored.id ? { ...photo, kind } : photo)));
  const withKind = assigned === undefined ? {} : { assigned };
  switch (phase) {
    case 'not_started':
    case 'welcomed':
      // The welcome and the form link going out now are the answer.
      return withKind;
    case 'awaiting_form':
      return { ...withKind, reply: { textKey: 'photos.early', variables: { formUrl: formUrlOf(ctx) } } };
    case 'completed':
      // A photo that counted toward the checklist was answered by the affirmation: this is a redelivery.
      return kind === 'other' ? { reply: { textKey: 'photos.thanks', variables: {} } } : {};
    case 'awaiting_photos':
      if (missing.length === 0) return withKind;
      return {
        ...withKind,
        reply: kind === 'other' ? { textKey: 'photos.thanks', variables: {} } : { textKey: 'photos.ack', variables: { received: { photoKinds: [kind] }, missing: { photoKinds: missing } } },
      };
  }
}

function formUrlOf(ctx: FlowContext): string {
  if (ctx.formUrl === null) throw new TypeError('the flow needs context.formUrl while the form is not submitted');
  return ctx.formUrl;
}

/** The prompt that states where the aspirant stands: sent on resume and when the aspirant asks what to do. */
export function currentStepText(phase: BotPhase, ctx: FlowContext, photos: Facts['photos'] = ctx.photos): TextRef {
  switch (phase) {
    case 'not_started':
    case 'welcomed':
    case 'awaiting_form':
      return { textKey: 'form.link', variables: { formUrl: formUrlOf(ctx) } };
    case 'awaiting_guardian_consent':
      return { textKey: 'guardian.consent.request', variables: {} };
    case 'awaiting_photos':
      return { textKey: 'photos.request', variables: { checklist: { photoKinds: missingKinds(ctx.settings, photos) } } };
    case 'completed':
      return { textKey: 'status.in_review', variables: {} };
  }
}

interface Candidate {
  readonly stepKey: string;
  readonly text: TextRef;
  /** Prompts stay owed when held; replies are dropped. */
  readonly kind: 'prompt' | 'reminder' | 'reply';
}

/** The reminder due now, if any: the latest whose time has come (earlier ones missed are not sent late). */
function dueReminder(state: BotState, settings: BotSettings, now: Date): number | undefined {
  if (state.formLinkSentAt === null) return undefined;
  const elapsedHours = (now.getTime() - Date.parse(state.formLinkSentAt)) / HOUR_MS;
  const due = Math.min(Math.floor(elapsedHours / settings.formReminderDelayHours), settings.maxFormReminders);
  return due >= 1 && !state.delivered.includes(`reminder:${due}`) ? due : undefined;
}

function owedPrompts(state: BotState, phase: BotPhase, facts: Facts, ctx: FlowContext, event: BotEvent): Candidate[] {
  const owed: Candidate[] = [];
  const owe = (stepKey: string, text: TextRef) => {
    if (!state.delivered.includes(stepKey)) owed.push({ stepKey, text, kind: 'prompt' });
  };
  switch (phase) {
    case 'not_started':
    case 'welcomed':
      owe('welcome', { textKey: 'welcome', variables: {} });
      owe('form-link:1', { textKey: 'form.link', variables: { formUrl: formUrlOf(ctx) } });
      break;
    case 'awaiting_form': {
      const reminder = event.type === 'reminder_due' ? dueReminder(state, ctx.settings, ctx.now) : undefined;
      if (reminder !== undefined) owed.push({ stepKey: `reminder:${reminder}`, text: { textKey: 'form.reminder', variables: { formUrl: formUrlOf(ctx) } }, kind: 'reminder' });
      break;
    }
    case 'awaiting_guardian_consent':
      owe('guardian-consent:1', { textKey: 'guardian.consent.request', variables: {} });
      break;
    case 'awaiting_photos':
      owe('photo-request:1', currentStepText(phase, ctx, facts.photos));
      break;
    case 'completed':
      owe('affirmation', { textKey: 'affirmation', variables: {} });
      break;
  }
  // A hand-back repeats the current step, unless a prompt of the step is going out anyway.
  if (state.resumeOwed && owed.length === 0 && phase !== 'completed') owe(`resume:${state.handBacks}`, currentStepText(phase, ctx, facts.photos));
  return owed;
}

/** The status the flow has reached, from what happened (not from events), or null before the form link. */
function statusReached(state: BotState, phase: BotPhase, facts: Facts): StoredStatus | null {
  if (phase === 'completed') return state.delivered.includes('affirmation') ? 'in_review' : 'photos_received';
  if (phase === 'awaiting_photos' && state.delivered.includes('photo-request:1')) return 'photos_requested';
  if (facts.formSubmitted) return 'form_completed';
  return state.delivered.includes('form-link:1') ? 'form_sent' : null;
}

function forwardOnly(current: StoredStatus, reached: StoredStatus | null): StoredStatus | null {
  if (reached === null || FINAL_STATUSES.has(current)) return null;
  return pipelineStatuses.indexOf(reached) > pipelineStatuses.indexOf(current) ? reached : null;
}

/** Where the aspirant stands before any event. */
export const currentPhase = (state: BotState, ctx: Omit<FlowContext, 'formUrl'>): BotPhase => phaseOf(state, factsOf({ ...ctx, formUrl: null }), ctx.settings);

/** Whether the engine should run the supervisor on this event before `decide` (free text the flow does not expect). */
export function needsSupervisor(state: BotState, event: BotEvent, ctx: FlowContext): event is Extract<BotEvent, { type: 'inbound_message' }> {
  return (
    event.type === 'inbound_message' &&
    event.autoReply === 'eligible' &&
    !event.hasMedia &&
    (event.text ?? '').trim() !== '' &&
    !ctx.aspirant.optedOut &&
    !ctx.conversation.paused &&
    state.welcomedAt !== null &&
    Date.parse(event.occurredAt) > Date.parse(state.welcomedAt)
  );
}

/** Whether the engine must supply `formUrl`: while the form is not submitted. */
export const needsFormUrl = (ctx: Pick<FlowContext, 'formSubmitted'>, event: BotEvent): boolean => !ctx.formSubmitted && event.type !== 'form_submitted';

const RESPONSIVE_EVENTS: ReadonlySet<BotEvent['type']> = new Set(['inbound_message', 'form_submitted', 'photo_stored', 'opted_in']);

/**
 * Which candidates go out now, in order, and which wait: not after an ineligible message, never to an opted-out
 * aspirant or over a recruiter, within the daily cap, proactive ones outside quiet hours, and outside the
 * 24-hour window only as an approved template (reminders never). Held prompts ask for a wake-up when their
 * obstacle ends on its own (quiet hours, the cap's new day).
 */
function deliver(candidates: readonly Candidate[], event: BotEvent, facts: Facts, ctx: FlowContext) {
  const eligible = event.type !== 'inbound_message' || event.autoReply === 'eligible';
  const responsive = RESPONSIVE_EVENTS.has(event.type);
  const windowOpen = ctx.conversation.windowExpiresAt !== null && Date.parse(ctx.conversation.windowExpiresAt) > ctx.now.getTime();
  const { quietHours, timeZone, dailyMessageCap } = ctx.settings;
  const quiet = isQuietAt(ctx.now, quietHours, timeZone);
  const messages: PlannedMessage[] = [];
  const held: { stepKey: string; textKey: MessageTextKey; reason: HoldReason }[] = [];
  const wakes: number[] = [];
  let sentToday = ctx.automatedMessagesToday;
  for (const candidate of candidates) {
    const hold = (reason: HoldReason, wakeAt?: Date) => {
      held.push({ stepKey: candidate.stepKey, textKey: candidate.text.textKey, reason });
      if (wakeAt !== undefined && candidate.kind !== 'reply') wakes.push(wakeAt.getTime());
    };
    if (!eligible) hold('not_eligible');
    else if (facts.optedOut) hold('opted_out');
    else if (facts.paused) hold('paused');
    else if (sentToday >= dailyMessageCap) hold('daily_cap', nextLocalMidnight(ctx.now, timeZone));
    else if (!responsive && quiet) hold('quiet_hours', quietHoursEnd(ctx.now, quietHours!, timeZone));
    else if (!windowOpen && (candidate.kind === 'reminder' || !ctx.templateKeys.has(candidate.text.textKey))) hold('window_closed');
    else {
      messages.push({ stepKey: candidate.stepKey, text: candidate.text, delivery: windowOpen ? 'session' : 'template' });
      sentToday += 1;
    }
  }
  return { messages, held, wakes };
}

/** When the next reminder still ahead goes out: after quiet hours, and only if the window is still open then. */
function nextReminderAt(state: BotState, ctx: FlowContext): number | undefined {
  if (state.formLinkSentAt === null) return undefined;
  const { quietHours, timeZone, formReminderDelayHours, maxFormReminders } = ctx.settings;
  const windowEnd = ctx.conversation.windowExpiresAt === null ? 0 : Date.parse(ctx.conversation.windowExpiresAt);
  for (let reminder = 1; reminder <= maxFormReminders; reminder += 1) {
    const dueAt = new Date(Date.parse(state.formLinkSentAt) + reminder * formReminderDelayHours * HOUR_MS);
    if (dueAt.getTime() <= ctx.now.getTime() || state.delivered.includes(`reminder:${reminder}`)) continue;
    const sendAt = isQuietAt(dueAt, quietHours, timeZone) ? quietHoursEnd(dueAt, quietHours!, timeZone).getTime() : dueAt.getTime();
    return sendAt < windowEnd ? sendAt : undefined;
  }
  return undefined;
}

export function decide(state: BotState, event: BotEvent, ctx: FlowContext): FlowDecision {
  const facts0 = factsOf(ctx, event);
  const phaseBefore = phaseOf(state, facts0, ctx.settings);
  let next: BotState = state;
  const replies: Candidate[] = [];
  const trace: TraceEntry[] = [];
  const notes: string[] = [];
  const conversation: { botPaused?: boolean; needsRecruiter?: boolean } = {};
  const aspirant: { language?: BotLanguage; shiftPreferences?: readonly StoredShift[] } = {};
  const photoKinds: { photoId: string; kind: ChecklistKind }[] = [];
  let photos = facts0.photos;

  const detected = event.type === 'inbound_message' && ctx.aspirant.language === null ? detectLanguage(event.text) : undefined;
  if (detected !== undefined) aspirant.language = detected;
  const language = ctx.aspirant.language ?? detected ?? ctx.settings.defaultLanguage;

  switch (event.type) {
    case 'inbound_message': {
      if (event.autoReply !== 'eligible') {
        notes.push(`no automated reply to this message (${event.autoReply})`);
      } else if (state.welcomedAt !== null && Date.parse(event.occurredAt) <= Date.parse(state.welcomedAt)) {
        notes.push('already answered by the welcome');
      } else if (event.routed !== undefined) {
        const routed = event.routed;
        trace.push(...routed.trace);
        next = { ...next, lastIntent: routed.intent };
        if (routed.needsRecruiter) conversation.needsRecruiter = true;
        if (routed.shiftPreferences !== undefined) aspirant.shiftPreferences = routed.shiftPreferences;
        const text = routed.reply === 'currentStep' ? currentStepText(phaseBefore, ctx, photos) : routed.reply;
        if (text !== null) replies.push({ stepKey: `reply:${event.messageId}`, text, kind: 'reply' });
      }
      break;
    }
    case 'photo_stored': {
      const acknowledged = acknowledgePhoto(event, phaseBefore, photos, ctx);
      if (acknowledged.assigned !== undefined) {
        const { assigned } = acknowledged;
        photoKinds.push({ photoId: event.photoId, kind: assigned });
        photos = photos.map((photo) => (photo.id === event.photoId ? { ...photo, kind: assigned } : photo));
      }
      if (acknowledged.reply !== undefined) replies.push({ stepKey: `photo-ack:${event.photoId}`, text: acknowledged.reply, kind: 'reply' });
      break;
    }
    case 'form_submitted':
      if (facts0.minor && !facts0.guardianConsent) {
        conversation.needsRecruiter = true;
        notes.push('minor: guardian consent needed before photos');
      }
      break;
    case 'recruiter_took_over':
      conversation.botPaused = true;
      // A recruiter is on it: the "needs a recruiter" flag has done its job.
      conversation.needsRecruiter = false;
      notes.push('paused: a recruiter took over');
      break;
    case 'recruiter_handed_back':
      if (ctx.conversation.paused) {
        conversation.botPaused = false;
        next = { ...next, handBacks: next.handBacks + 1, resumeOwed: true };
        notes.push('resumed: handed back by a recruiter');
      }
      break;
    case 'opted_out':
      notes.push('opted out: the bot stays silent');
      break;
    case 'guardian_consent_recorded':
      notes.push('guardian consent recorded');
      break;
    case 'form_opened':
    case 'opted_in':
    case 'reminder_due':
      break;
  }

  const facts: Facts = { ...facts0, photos };
  const phase = phaseOf(next, facts, ctx.settings);
  const prompts = owedPrompts(next, phase, facts, ctx, event);
  // The aspirant asked where they stand while that very prompt is going out: say it once.
  const askedWhereTheyStand = event.type === 'inbound_message' && event.routed?.reply === 'currentStep';
  const candidates = [...prompts, ...(prompts.length > 0 && askedWhereTheyStand ? [] : replies)];

  const { messages, held, wakes } = deliver(candidates, event, facts, ctx);
  const sent = (stepKey: string) => messages.some((message) => message.stepKey === stepKey);
  const promptsSent = prompts.filter((prompt) => sent(prompt.stepKey)).map((prompt) => prompt.stepKey);
  next = {
    ...next,
    delivered: [...next.delivered, ...promptsSent],
    welcomedAt: next.welcomedAt ?? (sent('welcome') ? ctx.now.toISOString() : null),
    formLinkSentAt: next.formLinkSentAt ?? (sent('form-link:1') ? ctx.now.toISOString() : null),
    // Any prompt of the step going out (the resume itself, or the step's own) is the resume.
    resumeOwed: next.resumeOwed && phase !== 'completed' && promptsSent.length === 0,
  };
  const finalPhase = phaseOf(next, facts, ctx.settings);

  const reminderWake = finalPhase === 'awaiting_form' ? nextReminderAt(next, ctx) : undefined;
  if (reminderWake !== undefined) wakes.push(reminderWake);

  const summary = [
    messages.length > 0 ? `sent ${messages.map((message) => message.stepKey).join(', ')}` : 'sent nothing',
    ...held.map((hold) => `held ${hold.stepKey} (${hold.reason})`),
    ...photoKinds.map((photo) => `photo ${photo.photoId} counted as ${photo.kind}`),
    ...notes,
  ].join('; ');
  trace.push({ agent: 'onboarding', intent: event.type, confidence: 1, latencyMs: 0, summary, detail: { phase: finalPhase } });

  return {
    state: next,
    phase: finalPhase,
    language,
    messages,
    held,
    status: forwardOnly(ctx.aspirant.status, statusReached(next, finalPhase, facts)),
    conversation,
    aspirant,
    photoKinds,
    wakeAt: wakes.length === 0 ? null : new Date(Math.min(...wakes)).toISOString(),
    trace,
  };
}
