import { describe, expect, it } from 'vitest';
import type { StoredStatus } from '../domain/pipeline.ts';
import type { StoredShift } from '../../web/src/features/apply/form/schema.ts';
import type { AgentOutcome } from './agents/outcome.ts';
import { type BotEvent, type BotState, decide, type FlowContext, type FlowDecision, initialBotState, type PlannedMessage, type StoredPhotoKind } from './flow.ts';
import type { BotLanguage } from './language.ts';
import { parseConfig } from '../shared/config.ts';
import type { MessageTextKey } from './texts.ts';

// Mexico City has no daylight saving time: local = UTC-6. Quiet hours 21:00-08:00 local = 03:00-14:00 UTC.
const settings = parseConfig({
  AGENCY_TIME_ZONE: 'America/Mexico_City',
  QUIET_HOURS: '21:00-08:00',
  BOT_DAILY_MESSAGE_CAP: '10',
  FORM_REMINDER_DELAY_HOURS: '4',
  FORM_REMINDER_MAX: '2',
}).bot;
const MONDAY_11_LOCAL = '2030-03-04T17:00:00.000Z';
const FORM_URL = 'https://wasap.example/apply/token';
const HOUR = 3_600_000;

/**
 * What the wiring does around `decide`, in memory: it keeps the state and the aspirant's facts, claims step keys
 * (a claimed step is never sent again) and applies each decision's changes.
 */
class Wiring {
  state: BotState = initialBotState;
  now = new Date(MONDAY_11_LOCAL);
  status: StoredStatus = 'new';
  language: BotLanguage | null = null;
  optedOut = false;
  dateOfBirth: string | null = null;
  guardianConsent = false;
  shiftPreferences: readonly StoredShift[] = [];
  paused = false;
  needsRecruiter = false;
  windowExpiresAt: string | null = null;
  formSubmitted = false;
  photos: { id: string; kind: StoredPhotoKind }[] = [];
  sentToday = 0;
  templateKeys = new Set<MessageTextKey>();
  readonly claimed = new Set<string>();
  readonly sent: PlannedMessage[] = [];
  private messageCount = 0;

  context(): FlowContext {
    return {
      now: this.now,
      settings: this.settingsOverride ?? settings,
      aspirant: {
        id: 'a1',
        status: this.status,
        language: this.language,
        optedOut: this.optedOut,
        dateOfBirth: this.dateOfBirth,
        guardianConsent: this.guardianConsent,
        shiftPreferences: this.shiftPreferences,
      },
      conversation: { paused: this.paused, windowExpiresAt: this.windowExpiresAt },
      formSubmitted: this.formSubmitted,
      photos: this.photos,
      automatedMessagesToday: this.sentToday,
      formUrl: this.formSubmitted ? null : FORM_URL,
      templateKeys: this.templateKeys,
    };
  }

  settingsOverride: typeof settings | undefined;

  /** Runs one event as the wiring would; returns the decision and the messages this run actually sent. */
  handle(event: BotEvent): { decision: FlowDecision; sent: string[] } {
    if (event.type === 'form_submitted') {
      this.formSubmitted = true;
      this.dateOfBirth = event.dateOfBirth;
    }
    if (event.type === 'photo_stored' && !this.photos.some((photo) => photo.id === event.photoId)) this.photos.push({ id: event.photoId, kind: event.kind });
    if (event.type === 'opted_out') this.optedOut = true;
    if (event.type === 'opted_in') this.optedOut = false;
    if (event.type === 'guardian_consent_recorded') this.guardianConsent = true;
    const decision = decide(this.state, event, this.context());
    const sent: string[] = [];
    for (const message of decision.messages) {
      if (this.claimed.has(message.stepKey)) continue;
      this.claimed.add(message.stepKey);
      this.sent.push(message);
      sent.push(message.stepKey);
      this.sentToday += 1;
    }
    this.state = decision.state;
    if (decision.status !== null) this.status = decision.status;
    if (decision.conversation.botPaused !== undefined) this.paused = decision.conversation.botPaused;
    if (decision.conversation.needsRecruiter !== undefined) this.needsRecruiter = decision.conversation.needsRecruiter;
    if (decision.aspirant.language !== undefined) this.language ??= decision.aspirant.language;
    if (decision.aspirant.shiftPreferences !== undefined) this.shiftPreferences = decision.aspirant.shiftPreferences;
    for (const { photoId, kind } of decision.photoKinds) this.photos = this.photos.map((photo) => (photo.id === photoId ? { ...photo, kind } : photo));
    return { decision, sent };
  }

  /** The aspirant writes: the 24-hour window opens, then the bot gets the inbound event. */
  writes(text: string | null, options: { hasMedia?: boolean; routed?: AgentOutcome; autoReply?: 'eligible' | 'stale' | 'throttled' | 'keyword' } = {}) {
    this.messageCount += 1;
    this.windowExpiresAt = new Date(this.now.getTime() + 24 * HOUR).toISOString();
    return this.handle({
      type: 'inbound_message',
      messageId: `m${this.messageCount}`,
      text,
      hasMedia: options.hasMedia ?? false,
      occurredAt: this.now.toISOString(),
      autoReply: options.autoReply ?? 'eligible',
      ...(options.routed ? { routed: options.routed } : {}),
    });
  }

  /** A new aspirant says hello: that first message is all the bot hears of them. */
  starts(text = 'Hola, quiero información'): { decision: FlowDecision; sent: string[] } {
    return this.writes(text);
  }

  advance(ms: number): void {
    this.now = new Date(this.now.getTime() + ms);
  }

  at(iso: string): void {
    this.now = new Date(iso);
  }
}

const ADULT = '1998-05-20';
const MINOR = '2015-01-10';
const submitted = (dateOfBirth = ADULT): BotEvent => ({ type: 'form_submitted', submissionId: 's1', dateOfBirth });
const photo = (photoId: string, kind: StoredPhotoKind = 'other', caption?: string): BotEvent => ({ type: 'photo_stored', photoId, kind, ...(caption ? { caption } : {}) });
const keysOf = (decision: FlowDecision) => decision.messages.map((message) => message.stepKey);
const textOf = (wiring: Wiring, stepKey: string) => wiring.sent.find((message) => message.stepKey === stepKey)?.text;

describe('the recruiting flow', () => {
  it('goes welcome → form link → photo request → acknowledgements → affirmation, moving the pipeline to in_review', () => {
    const wiring = new Wiring();
    const first = wiring.starts('Hola');
    expect(first.sent).toEqual(['welcome', 'form-link:1']);
    expect(first.decision.phase).toBe('awaiting_form');
    expect(wiring.status).toBe('form_sent');
    expect(textOf(wiring, 'welcome')).toEqual({ textKey: 'welcome', variables: {} });
    expect(textOf(wiring, 'form-link:1')).toEqual({ textKey: 'form.link', variables: { formUrl: FORM_URL } });
    expect(wiring.language).toBe('es');

    expect(wiring.handle({ type: 'form_opened', formLinkId: 'l1' }).sent).toEqual([]);
    wiring.advance(HOUR);
    const afterForm = wiring.handle(submitted());
    expect(afterForm.sent).toEqual(['photo-request:1']);
    expect(textOf(wiring, 'photo-request:1')).toEqual({ textKey: 'photos.request', variables: { checklist: { photoKinds: ['headshot', 'full_body', 'profile'] } } });
    expect(wiring.status).toBe('photos_requested');

    const firstPhoto = wiring.handle(photo('p1'));
    expect(firstPhoto.sent).toEqual(['photo-ack:p1']);
    expect(firstPhoto.decision.photoKinds).toEqual([{ photoId: 'p1', kind: 'headshot' }]);
    expect(textOf(wiring, 'photo-ack:p1')).toEqual({
      textKey: 'photos.ack',
      variables: { received: { photoKinds: ['headshot'] }, missing: { photoKinds: ['full_body', 'profile'] } },
    });
    // A caption names the kind, whatever the order.
    wiring.handle(photo('p2', 'other', 'esta es de perfil'));
    expect(textOf(wiring, 'photo-ack:p2')).toEqual({ textKey: 'photos.ack', variables: { received: { photoKinds: ['profile'] }, missing: { photoKinds: ['full_body'] } } });

    const last = wiring.handle(photo('p3'));
    expect(last.sent).toEqual(['affirmation']);
    expect(last.decision.phase).toBe('completed');
    expect(wiring.status).toBe('in_review');
    expect(wiring.photos.map((stored) => stored.kind)).toEqual(['headshot', 'profile', 'full_body']);

    expect(wiring.handle(photo('p4')).sent).toEqual(['photo-ack:p4']);
    expect(textOf(wiring, 'photo-ack:p4')?.textKey).toBe('photos.thanks');
    expect(wiring.sent.map((message) => message.stepKey)).toEqual(['welcome', 'form-link:1', 'photo-request:1', 'photo-ack:p1', 'photo-ack:p2', 'affirmation', 'photo-ack:p4']);
  });

  it('gives every decision a trace entry naming what was sent and held', () => {
    const wiring = new Wiring();
    const { decision } = wiring.starts();
    expect(decision.trace.at(-1)).toMatchObject({ agent: 'onboarding', intent: 'inbound_message', confidence: 1, summary: 'sent welcome, form-link:1' });
    wiring.handle({ type: 'recruiter_took_over' });
    const paused = wiring.handle(submitted()).decision;
    expect(paused.trace.at(-1)?.summary).toBe('sent nothing; held photo-request:1 (paused)');
  });

  it('answers the first messages once: those written before the welcome went out are answered by it', () => {
    const wiring = new Wiring();
    wiring.windowExpiresAt = new Date(wiring.now.getTime() + 24 * HOUR).toISOString();
    const written = (messageId: string, text: string, secondsAgo: number): BotEvent => ({
      type: 'inbound_message',
      messageId,
      text,
      hasMedia: false,
      occurredAt: new Date(wiring.now.getTime() - secondsAgo * 1000).toISOString(),
      autoReply: 'eligible',
    });
    const hello = written('m1', 'Hola', 2);
    expect(wiring.handle(hello).sent).toEqual(['welcome', 'form-link:1']);
    const followUp = wiring.handle(written('m2', 'quiero trabajar con ustedes', 1));
    const redelivered = wiring.handle(hello);
    for (const { decision } of [followUp, redelivered]) {
      expect(decision.messages).toEqual([]);
      expect(decision.trace.at(-1)?.summary).toContain('already answered by the welcome');
    }
  });

  it('treats a photo sent before the form as early: thanked with the form link, and counted later', () => {
    const wiring = new Wiring();
    wiring.starts();
    expect(wiring.handle(photo('p1')).sent).toEqual(['photo-ack:p1']);
    expect(textOf(wiring, 'photo-ack:p1')).toEqual({ textKey: 'photos.early', variables: { formUrl: FORM_URL } });
    wiring.handle(photo('p2'));
    wiring.handle(photo('p3'));
    // With the checklist already met, the form goes straight to the affirmation.
    const { sent, decision } = wiring.handle(submitted());
    expect(sent).toEqual(['affirmation']);
    expect(decision.status).toBe('in_review');
  });
});

describe('exactly once', () => {
  const hello: BotEvent = { type: 'inbound_message', messageId: 'hello', text: 'Hola', hasMedia: false, occurredAt: MONDAY_11_LOCAL, autoReply: 'eligible' };
  const script: BotEvent[] = [hello, submitted(), photo('p1'), photo('p2'), photo('p3')];

  it('decides the same step keys for the same event from the same state', () => {
    const wiring = new Wiring();
    wiring.windowExpiresAt = new Date(wiring.now.getTime() + 24 * HOUR).toISOString();
    for (const event of script) {
      if (event.type === 'form_submitted') wiring.formSubmitted = true;
      if (event.type === 'photo_stored') wiring.photos.push({ id: event.photoId, kind: event.kind });
      const once = decide(wiring.state, event, wiring.context());
      const twice = decide(wiring.state, event, wiring.context());
      expect(keysOf(twice)).toEqual(keysOf(once));
      expect(twice.messages.length).toBeGreaterThan(0);
      wiring.handle(event);
    }
  });

  it('sends nothing new when any event is delivered again after it was handled', () => {
    const wiring = new Wiring();
    wiring.windowExpiresAt = new Date(wiring.now.getTime() + 24 * HOUR).toISOString();
    for (const event of script) {
      wiring.handle(event);
      const redelivered = wiring.handle(event);
      expect(redelivered.sent).toEqual([]);
      // Whatever the redelivery decides to say, it is a step already claimed.
      for (const key of keysOf(redelivered.decision)) expect(wiring.claimed.has(key)).toBe(true);
    }
    wiring.advance(60_000);
    const inbound = wiring.writes('¿Dónde están?', { routed: { intent: 'faq', confidence: 0.9, reply: { textKey: 'faq.unknown', variables: {} }, needsRecruiter: true, trace: [] } });
    expect(inbound.sent).toEqual(['reply:m1']);
    const again = decide(wiring.state, { type: 'inbound_message', messageId: 'm1', text: '¿Dónde están?', hasMedia: false, occurredAt: wiring.now.toISOString(), autoReply: 'eligible', routed: { intent: 'faq', confidence: 0.9, reply: { textKey: 'faq.unknown', variables: {} }, needsRecruiter: true, trace: [] } }, wiring.context());
    expect(keysOf(again)).toEqual(['reply:m1']);
  });
});

describe('handoff', () => {
  it('never talks over a recruiter, and resumes at the step the aspirant reached meanwhile', () => {
    const wiring = new Wiring();
    wiring.starts();
    wiring.needsRecruiter = true;
    const takeOver = wiring.handle({ type: 'recruiter_took_over' });
    expect(takeOver.decision.conversation).toEqual({ botPaused: true, needsRecruiter: false });
    expect(wiring.handle(submitted()).sent).toEqual([]);
    expect(wiring.status).toBe('form_completed');
    expect(wiring.handle(photo('p1')).sent).toEqual([]);
    expect(wiring.writes('hola?').sent).toEqual([]);

    const back = wiring.handle({ type: 'recruiter_handed_back' });
    expect(back.decision.conversation.botPaused).toBe(false);
    expect(back.sent).toEqual(['photo-request:1']);
    expect(textOf(wiring, 'photo-request:1')).toEqual({ textKey: 'photos.request', variables: { checklist: { photoKinds: ['full_body', 'profile'] } } });
    expect(wiring.status).toBe('photos_requested');
    // A second hand-back while not paused changes nothing.
    expect(wiring.handle({ type: 'recruiter_handed_back' }).decision.messages).toEqual([]);
  });

  it('repeats the current step after a hand-back when its prompt was already sent', () => {
    const wiring = new Wiring();
    wiring.starts();
    wiring.handle({ type: 'recruiter_took_over' });
    const back = wiring.handle({ type: 'recruiter_handed_back' });
    expect(back.sent).toEqual(['resume:1']);
    expect(textOf(wiring, 'resume:1')).toEqual({ textKey: 'form.link', variables: { formUrl: FORM_URL } });
    wiring.handle({ type: 'recruiter_took_over' });
    expect(wiring.handle({ type: 'recruiter_handed_back' }).sent).toEqual(['resume:2']);
  });

  it('holds the resume during quiet hours and delivers it when they end', () => {
    const wiring = new Wiring();
    wiring.starts();
    wiring.handle(submitted());
    wiring.handle({ type: 'recruiter_took_over' });
    wiring.at('2030-03-05T04:00:00.000Z'); // 22:00 local
    wiring.windowExpiresAt = '2030-03-05T17:00:00.000Z';
    const back = wiring.handle({ type: 'recruiter_handed_back' });
    expect(back.sent).toEqual([]);
    expect(back.decision.held).toEqual([{ stepKey: 'resume:1', textKey: 'photos.request', reason: 'quiet_hours' }]);
    expect(back.decision.wakeAt).toBe('2030-03-05T14:00:00.000Z'); // 08:00 local
    wiring.at('2030-03-05T14:00:00.000Z');
    expect(wiring.handle({ type: 'reminder_due' }).sent).toEqual(['resume:1']);
  });
});

describe('opt-out', () => {
  it('sends nothing at all to an opted-out aspirant, and picks up where it stood after opt-in', () => {
    const wiring = new Wiring();
    wiring.starts();
    const out = wiring.handle({ type: 'opted_out' });
    expect(out.decision.messages).toEqual([]);
    expect(wiring.handle(submitted()).sent).toEqual([]);
    expect(wiring.handle(photo('p1')).sent).toEqual([]);
    expect(wiring.handle({ type: 'recruiter_handed_back' }).sent).toEqual([]);
    const held = decide(wiring.state, { type: 'reminder_due' }, wiring.context());
    expect(held.messages).toEqual([]);
    wiring.writes('START', { autoReply: 'keyword' });
    expect(wiring.handle({ type: 'opted_in' }).sent).toEqual(['photo-request:1']);
  });
});

describe('minors', () => {
  it('flags a minor, asks for guardian consent and requests no photos until a recruiter records it', () => {
    const wiring = new Wiring();
    wiring.starts();
    const form = wiring.handle(submitted(MINOR));
    expect(form.sent).toEqual(['guardian-consent:1']);
    expect(form.decision.phase).toBe('awaiting_guardian_consent');
    expect(wiring.needsRecruiter).toBe(true);
    expect(textOf(wiring, 'guardian-consent:1')?.textKey).toBe('guardian.consent.request');

    const early = wiring.handle(photo('p1'));
    expect(early.sent).toEqual(['photo-ack:p1']);
    expect(textOf(wiring, 'photo-ack:p1')?.textKey).toBe('guardian.consent.pending');
    expect(early.decision.photoKinds).toEqual([]);
    expect(wiring.sent.some((message) => message.text.textKey === 'photos.request')).toBe(false);

    const consent = wiring.handle({ type: 'guardian_consent_recorded' });
    expect(consent.sent).toEqual(['photo-request:1']);
    expect(consent.decision.phase).toBe('awaiting_photos');
  });
});

describe('the 24-hour window', () => {
  it('waits outside the window without a template, and sends the owed prompt when the aspirant writes again', () => {
    const wiring = new Wiring();
    wiring.starts();
    wiring.advance(30 * HOUR);
    const form = wiring.handle(submitted());
    expect(form.sent).toEqual([]);
    expect(form.decision.held).toEqual([{ stepKey: 'photo-request:1', textKey: 'photos.request', reason: 'window_closed' }]);
    expect(wiring.status).toBe('form_completed');
    const back = wiring.writes('ya llené el formulario', { routed: { intent: 'onboarding', confidence: 0.9, reply: 'currentStep', needsRecruiter: false, trace: [] } });
    // The owed request is the answer to "what now?": said once.
    expect(back.sent).toEqual(['photo-request:1']);
    expect(wiring.sent.at(-1)?.delivery).toBe('session');
  });

  it('uses the approved template outside the window when the text has one', () => {
    const wiring = new Wiring();
    wiring.starts();
    wiring.advance(30 * HOUR);
    wiring.templateKeys.add('photos.request');
    const form = wiring.handle(submitted());
    expect(form.decision.messages).toEqual([{ stepKey: 'photo-request:1', text: expect.objectContaining({ textKey: 'photos.request' }), delivery: 'template' }]);
  });
});

describe('reminders and quiet hours', () => {
  it('reminds about the form after the delay, up to the maximum, while the window is open', () => {
    const wiring = new Wiring();
    const first = wiring.starts();
    expect(first.decision.wakeAt).toBe('2030-03-04T21:00:00.000Z'); // link + 4 h = 15:00 local
    wiring.at('2030-03-04T21:00:00.000Z');
    const one = wiring.handle({ type: 'reminder_due' });
    expect(one.sent).toEqual(['reminder:1']);
    expect(textOf(wiring, 'reminder:1')).toEqual({ textKey: 'form.reminder', variables: { formUrl: FORM_URL } });
    expect(one.decision.wakeAt).toBe('2030-03-05T01:00:00.000Z'); // 19:00 local
    wiring.at('2030-03-05T01:00:00.000Z');
    const two = wiring.handle({ type: 'reminder_due' });
    expect(two.sent).toEqual(['reminder:2']);
    expect(two.decision.wakeAt).toBeNull();
    wiring.advance(4 * HOUR);
    expect(wiring.handle({ type: 'reminder_due' }).sent).toEqual([]);
  });

  it('sends no reminder before it is due, nor once the form is in', () => {
    const wiring = new Wiring();
    wiring.starts();
    wiring.advance(HOUR);
    expect(wiring.handle({ type: 'reminder_due' }).sent).toEqual([]);
    const form = wiring.handle(submitted());
    expect(form.decision.wakeAt).toBeNull();
    wiring.advance(4 * HOUR);
    expect(wiring.handle({ type: 'reminder_due' }).sent).toEqual([]);
  });

  it('never reminds outside the window, not even with a template', () => {
    const wiring = new Wiring();
    wiring.templateKeys.add('form.reminder');
    const first = wiring.starts();
    wiring.windowExpiresAt = new Date(wiring.now.getTime() + 2 * HOUR).toISOString();
    expect(decide(wiring.state, { type: 'reminder_due' }, wiring.context()).wakeAt).toBeNull();
    expect(first.decision.wakeAt).not.toBeNull();
    wiring.advance(4 * HOUR);
    const late = wiring.handle({ type: 'reminder_due' });
    expect(late.sent).toEqual([]);
    expect(late.decision.held).toEqual([{ stepKey: 'reminder:1', textKey: 'form.reminder', reason: 'window_closed' }]);
  });

  it('holds a reminder that falls in quiet hours until they end in the agency time zone', () => {
    const wiring = new Wiring();
    wiring.at('2030-03-05T00:00:00.000Z'); // 18:00 local
    wiring.starts();
    wiring.at('2030-03-05T04:00:00.000Z'); // 22:00 local: quiet
    const quiet = wiring.handle({ type: 'reminder_due' });
    expect(quiet.sent).toEqual([]);
    expect(quiet.decision.held).toEqual([{ stepKey: 'reminder:1', textKey: 'form.reminder', reason: 'quiet_hours' }]);
    expect(quiet.decision.wakeAt).toBe('2030-03-05T14:00:00.000Z'); // 08:00 local
    wiring.at('2030-03-05T14:00:00.000Z');
    const morning = wiring.handle({ type: 'reminder_due' });
    expect(morning.sent).toHaveLength(1);
    expect(morning.sent[0]).toMatch(/^reminder:/);
  });

  it('answers the aspirant at once even in quiet hours', () => {
    const wiring = new Wiring();
    wiring.at('2030-03-05T05:30:00.000Z'); // 23:30 local
    expect(wiring.starts().sent).toEqual(['welcome', 'form-link:1']);
  });
});

describe('the daily cap', () => {
  it('stops automated messages at the cap and continues after local midnight', () => {
    const wiring = new Wiring();
    wiring.settingsOverride = { ...settings, dailyMessageCap: 3 };
    wiring.sentToday = 2;
    const first = wiring.starts();
    expect(first.sent).toEqual(['welcome']);
    expect(first.decision.phase).toBe('welcomed');
    expect(first.decision.held).toEqual([{ stepKey: 'form-link:1', textKey: 'form.link', reason: 'daily_cap' }]);
    expect(first.decision.wakeAt).toBe('2030-03-05T06:00:00.000Z'); // midnight local
    expect(wiring.status).toBe('new');
    wiring.advance(60_000);
    const reply = wiring.writes('¿Hola?', { routed: { intent: 'other', confidence: 0.3, reply: { textKey: 'fallback', variables: {} }, needsRecruiter: false, trace: [] } });
    expect(reply.sent).toEqual([]);
    expect(reply.decision.held.map((hold) => hold.reason)).toEqual(['daily_cap', 'daily_cap']);
    wiring.at('2030-03-05T14:00:00.000Z');
    wiring.sentToday = 0;
    expect(wiring.handle({ type: 'reminder_due' }).sent).toEqual(['form-link:1']);
    expect(wiring.status).toBe('form_sent');
  });
});

describe('what the flow never does', () => {
  it('never moves an aspirant out of a status a recruiter decided', () => {
    const wiring = new Wiring();
    wiring.status = 'rejected';
    const { decision } = wiring.starts();
    expect(decision.status).toBeNull();
  });

  it('does not reply to stale, throttled or keyword messages', () => {
    for (const autoReply of ['stale', 'throttled', 'keyword'] as const) {
      const wiring = new Wiring();
      wiring.windowExpiresAt = new Date(wiring.now.getTime() + 24 * HOUR).toISOString();
      const { decision } = wiring.writes('hola', { autoReply });
      expect(decision.messages).toEqual([]);
      expect(decision.held.every((hold) => hold.reason === 'not_eligible')).toBe(true);
    }
  });

  it('applies what an agent decided: one reply keyed by the message, the recruiter flag, new shifts', () => {
    const wiring = new Wiring();
    wiring.starts();
    wiring.advance(60_000);
    const shifts: StoredShift[] = [{ day: 'sat', window: 'afternoon' }];
    const { decision, sent } = wiring.writes('puedo los sábados por la tarde', {
      routed: { intent: 'scheduling', confidence: 0.9, reply: { textKey: 'scheduling.confirm', variables: { shifts: { shifts } } }, needsRecruiter: false, shiftPreferences: shifts, trace: [{ agent: 'scheduling', intent: 'scheduling', confidence: 0.9, latencyMs: 1, summary: 'added' }] },
    });
    expect(sent).toEqual(['reply:m2']);
    expect(decision.aspirant.shiftPreferences).toEqual(shifts);
    expect(decision.trace.map((entry) => entry.agent)).toEqual(['scheduling', 'onboarding']);
    expect(decision.state.lastIntent).toBe('scheduling');
    const handoff = wiring.writes('quiero hablar con una persona', { routed: { intent: 'human', confidence: 0.9, reply: { textKey: 'handoff', variables: {} }, needsRecruiter: true, trace: [] } });
    expect(handoff.decision.conversation.needsRecruiter).toBe(true);
  });
});
