import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../data/db.ts';
import { testDatabases } from '../data/testing.ts';
import { ensureFormLink, type FormLinkSettings, resolveFormLink } from '../forms/links.ts';
import { parseApplicationForm } from '../../web/src/features/apply/form/schema.ts';
import { recordSubmission } from '../forms/submissions.ts';
import { searchPassages } from '../knowledge/search.ts';
import { createLocalProvider } from '../llm/local.ts';
import { runBot } from './engine.ts';
import type { BotEvent } from './flow.ts';
import { parseConfig } from '../shared/config.ts';
import { applyBotDecision, loadFlowContext, lockBotState, recordBotTraces } from './store.ts';
import { loadBotTextLibrary } from './texts.ts';

const settings = parseConfig({ AGENCY_TIME_ZONE: 'America/Mexico_City', QUIET_HOURS: '21:00-08:00' }).bot;
const formSettings: FormLinkSettings = { secret: 'store-test-form-link-secret-0123456789', ttlDays: 7, baseUrl: 'https://wasap.example/apply' };
const START = new Date('2030-03-04T17:00:00.000Z'); // 11:00 in Mexico City

describe.each(testDatabases())('the bot wiring on $name', (database) => {
  let db: Db;
  let aspirantId: string;
  let conversationId: string;
  let now = START;

  beforeAll(async () => {
    db = await database.open();
    [{ id: aspirantId }] = (await db.query<{ id: string }>("INSERT INTO aspirants (phone, whatsapp_name) VALUES ('+523312345678', 'Ana') RETURNING id")) as [{ id: string }];
    [{ id: conversationId }] = (await db.query<{ id: string }>(
      "INSERT INTO conversations (aspirant_id, channel, window_expires_at) VALUES (:aspirantId::uuid, 'whatsapp_twilio', :window::timestamptz) RETURNING id",
      { aspirantId, window: new Date(START.getTime() + 24 * 3_600_000).toISOString() },
    )) as [{ id: string }];
  });
  afterAll(async () => {
    await db.close();
  });

  /** One bot job, as the wiring will run it: one transaction from the lock to the traces. */
  function process(event: BotEvent) {
    return db.transaction(async (tx) => {
      const state = await lockBotState(tx, aspirantId);
      const library = await loadBotTextLibrary(tx);
      const context = await loadFlowContext(tx, { aspirantId, conversationId, now, settings, library });
      const decision = await runBot(
        {
          llm: createLocalProvider(),
          searchPassages: (question, language, limit) => searchPassages(tx, question, language, limit),
          formUrl: async () => (await ensureFormLink(tx, aspirantId, formSettings, now)).url,
        },
        state,
        event,
        context,
      );
      const applied = await applyBotDecision(tx, { aspirantId, conversationId, decision, now });
      const bodies = applied.send.map((message) => library.render(message.text, decision.language, { seed: aspirantId, delivery: message.delivery }).body);
      await recordBotTraces(tx, { conversationId, messageId: null, entries: decision.trace, now });
      return { decision, applied, bodies };
    });
  }

  const row = async <T>(sql: string) => (await db.query<T>(sql, { aspirantId, conversationId }))[0]!;

  it('welcomes a new aspirant with a working personal form link, once however often their first message arrives', async () => {
    const hello: BotEvent = { type: 'inbound_message', messageId: 'm1', text: 'Hola, quiero información', hasMedia: false, occurredAt: now.toISOString(), autoReply: 'eligible' };
    const runs = await Promise.all([1, 2, 3, 4].map(() => process(hello)));
    const sent = runs.flatMap((run) => run.applied.send.map((message) => message.stepKey));
    expect(sent).toEqual(['welcome', 'form-link:1']);
    const bodies = runs.flatMap((run) => run.bodies);
    expect(bodies[0]).toContain('asistente automático');
    const url = /https:\/\/wasap\.example\/apply\/(\S+)$/.exec(bodies[1]!);
    expect(url).not.toBeNull();
    expect((await resolveFormLink(db, url![1]!, formSettings.secret, now)).aspirantId).toBe(aspirantId);

    expect(await row('SELECT bot_state, bot_paused, needs_recruiter FROM conversations WHERE id = :conversationId::uuid')).toEqual({ botState: 'awaiting_form', botPaused: false, needsRecruiter: false });
    expect(await row('SELECT status FROM aspirants WHERE id = :aspirantId::uuid')).toEqual({ status: 'form_sent' });
    const traces = await db.query<{ agent: string; summary: string }>('SELECT agent, summary FROM bot_traces WHERE conversation_id = :conversationId::uuid', { conversationId });
    expect(traces).toHaveLength(4);
    expect(traces.filter((trace) => trace.summary === 'sent welcome, form-link:1')).toEqual([{ agent: 'onboarding', summary: 'sent welcome, form-link:1' }]);
  });

  it('claims each step once even when the same decision is applied twice', async () => {
    const first = await process({ type: 'reminder_due' });
    expect(first.applied.send).toEqual([]);
    const decision = { ...first.decision, messages: [{ stepKey: 'welcome', text: { textKey: 'welcome' as const, variables: {} }, delivery: 'session' as const }] };
    const again = await db.transaction((tx) => applyBotDecision(tx, { aspirantId, conversationId, decision, now }));
    expect(again.send).toEqual([]);
    expect(await row('SELECT count(*)::int AS n FROM bot_steps WHERE aspirant_id = :aspirantId::uuid')).toEqual({ n: 2 });
  });

  it('answers a question from chat with a supervisor trace, and counts its messages for the day', async () => {
    now = new Date(START.getTime() + 60_000);
    const { applied, bodies, decision } = await process({ type: 'inbound_message', messageId: 'm2', text: 'puedo los sábados por la tarde', hasMedia: false, occurredAt: now.toISOString(), autoReply: 'eligible' });
    expect(applied.send.map((message) => message.stepKey)).toEqual(['reply:m2']);
    expect(bodies[0]).toBe('Anotado: tu disponibilidad es sábado por la tarde. Puedes cambiarla cuando quieras escribiéndome.');
    expect(decision.trace.map((entry) => entry.agent)).toEqual(['supervisor', 'scheduling', 'onboarding']);
    expect(applied.aspirantChanged).toBe(true);
    expect(await row('SELECT shift_preferences, language FROM aspirants WHERE id = :aspirantId::uuid')).toEqual({ shiftPreferences: [{ day: 'sat', window: 'afternoon' }], language: 'es' });
    const context = await loadFlowContext(db, { aspirantId, conversationId, now, settings, library: await loadBotTextLibrary(db) });
    expect(context.automatedMessagesToday).toBe(3);
  });

  it('follows the form and the photos to the affirmation and in_review', async () => {
    now = new Date(START.getTime() + 3_600_000);
    const parsed = parseApplicationForm(
      { fullName: 'Ana López', dateOfBirth: '1999-02-28', city: 'Guadalajara', heightCm: 172, shiftPreferences: [{ day: 'SAT', window: 'AFTERNOON' }], consents: { dataProcessing: true, whatsappContact: true } },
      { today: now },
    );
    if (!parsed.ok) throw new Error('expected a valid form');
    const submission = await recordSubmission(db, { aspirantId, formLinkId: null, source: 'web', form: parsed.form, now });
    const afterForm = await process({ type: 'form_submitted', submissionId: submission.submissionId, dateOfBirth: submission.dateOfBirth });
    expect(afterForm.bodies).toEqual([expect.stringContaining('foto de rostro (de frente), foto de cuerpo entero y foto de perfil (de lado)')]);
    expect(await row('SELECT status FROM aspirants WHERE id = :aspirantId::uuid')).toEqual({ status: 'photos_requested' });

    const acknowledgements: string[] = [];
    for (const index of [1, 2, 3]) {
      const [{ id: photoId }] = (await db.query<{ id: string }>(
        "INSERT INTO photos (aspirant_id, kind, blob_key, thumbnail_key) VALUES (:aspirantId::uuid, 'other', :key, :key) RETURNING id",
        { aspirantId, key: `photos/${index}.jpg` },
      )) as [{ id: string }];
      acknowledgements.push(...(await process({ type: 'photo_stored', photoId, kind: 'other' })).bodies);
    }
    expect(acknowledgements[0]).toBe('Recibimos tu foto de rostro (de frente). Aún nos falta: foto de cuerpo entero y foto de perfil (de lado).');
    expect(acknowledgements[1]).toBe('Recibimos tu foto de cuerpo entero. Aún nos falta: foto de perfil (de lado).');
    expect(acknowledgements[2]).toMatch(/un reclutador .*te contactará/i);
    const kinds = await db.query<{ kind: string }>('SELECT kind FROM photos WHERE aspirant_id = :aspirantId::uuid ORDER BY blob_key', { aspirantId });
    expect(kinds.map((photo) => photo.kind)).toEqual(['headshot', 'full_body', 'profile']);
    expect(await row('SELECT status FROM aspirants WHERE id = :aspirantId::uuid')).toEqual({ status: 'in_review' });
    expect(await row('SELECT bot_state FROM conversations WHERE id = :conversationId::uuid')).toEqual({ botState: 'completed' });
  });

  it('pauses for a recruiter and records the state it will resume from', async () => {
    await process({ type: 'recruiter_took_over' });
    expect(await row('SELECT bot_paused FROM conversations WHERE id = :conversationId::uuid')).toEqual({ botPaused: true });
    now = new Date(now.getTime() + 60_000);
    const ignored = await process({ type: 'inbound_message', messageId: 'm9', text: '¿cuánto pagan?', hasMedia: false, occurredAt: now.toISOString(), autoReply: 'eligible' });
    expect(ignored.applied.send).toEqual([]);
    expect(ignored.decision.trace.map((entry) => entry.agent)).toEqual(['onboarding']);
    await process({ type: 'recruiter_handed_back' });
    expect(await row('SELECT bot_paused FROM conversations WHERE id = :conversationId::uuid')).toEqual({ botPaused: false });
    const [{ state }] = (await db.query<{ state: { handBacks: number } }>('SELECT state FROM bot_flow_states WHERE aspirant_id = :aspirantId::uuid', { aspirantId })) as [{ state: { handBacks: number } }];
    expect(state.handBacks).toBe(1);
  });
});
