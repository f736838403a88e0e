import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openInMemoryDb } from '../data/connect.ts';
import type { Db } from '../data/db.ts';
import { BadRequestError } from '../shared/errors.ts';
import { botLanguages, detectLanguage } from './language.ts';
import {
  BotTextLibrary,
  BotTextMissingError,
  type BotTextRow,
  labelTextKeys,
  listBotTexts,
  loadBotTextLibrary,
  messageTextVariables,
  promisesWork,
  updateBotText,
  variablesOfKey,
} from './texts.ts';

let db: Db;
beforeAll(async () => {
  db = await openInMemoryDb();
});
afterAll(async () => {
  await db.close();
});

const NOW = new Date('2030-01-01T12:00:00Z');
const placeholders = (body: string) => [...body.matchAll(/\{([A-Za-z]+)\}/g)].map((match) => match[1]).sort();

describe('the seeded library', () => {
  it('has an approved text in es, en and pt for every key the bot uses, with exactly its placeholders', async () => {
    const rows = await listBotTexts(db);
    const keys = [...Object.keys(messageTextVariables).filter((key) => key !== 'affirmation'), 'affirmation.1', 'affirmation.2', 'affirmation.3', ...labelTextKeys];
    for (const key of keys) {
      for (const language of botLanguages) {
        const row = rows.find((candidate) => candidate.key === key && candidate.language === language);
        expect(row, `${key}/${language}`).toBeDefined();
        expect(row!.approved).toBe(true);
        expect(placeholders(row!.body), `${key}/${language}`).toEqual([...variablesOfKey(key)!].sort());
      }
    }
    expect(rows.map((row) => row.key).every((key) => variablesOfKey(key) !== undefined)).toBe(true);
  });

  it('never promises work, and every affirmation says a recruiter will be in touch', async () => {
    const rows = await listBotTexts(db);
    for (const row of rows) expect(promisesWork(row.body), `${row.key}/${row.language}: ${row.body}`).toBe(false);
    const affirmations = rows.filter((row) => row.key.startsWith('affirmation.'));
    expect(affirmations).toHaveLength(9);
    for (const row of affirmations) expect(row.body).toMatch(/reclutador|recruiter|recrutador/);
  });

  it('says it is an automated assistant in the welcome', async () => {
    const rows = await listBotTexts(db);
    for (const row of rows.filter((candidate) => candidate.key === 'welcome')) expect(row.body).toMatch(/automático|automated/);
  });
});

describe('what counts as promising work', () => {
  it.each([
    'Tu trabajo está garantizado',
    'Quedaste contratada, ¡felicidades!',
    'You will be hired next week',
    'We guarantee you a job',
    'Você será contratado',
    'Emprego garantido para você',
    'You have been selected!',
    'Fuiste seleccionada para la campaña',
    'Te prometemos un contrato',
    'You will get a job with us',
    'Tendrás trabajo seguro',
  ])('refuses "%s"', (text) => {
    expect(promisesWork(text)).toBe(true);
  });

  it.each(['Un reclutador revisará tu perfil', 'A recruiter will review your profile and contact you', 'Seu perfil está em análise'])('accepts "%s"', (text) => {
    expect(promisesWork(text)).toBe(false);
  });
});

describe('rendering', () => {
  it('builds the photo checklist and shift lists from labels in the aspirant language', async () => {
    const library = await loadBotTextLibrary(db);
    const checklist = { textKey: 'photos.request' as const, variables: { checklist: { photoKinds: ['headshot', 'full_body', 'profile'] as const } } };
    expect(library.render(checklist, 'es', { seed: 'a1', delivery: 'session' }).body).toContain(
      'en este orden: foto de rostro (de frente), foto de cuerpo entero y foto de perfil (de lado).',
    );
    expect(library.render(checklist, 'en', { seed: 'a1', delivery: 'session' }).body).toContain('headshot (face, from the front), full-body photo, and profile photo (from the side)');
    const shifts = { textKey: 'scheduling.confirm' as const, variables: { shifts: { shifts: [{ day: 'sat', window: 'afternoon' }, { day: 'sun', window: 'morning' }] as const } } };
    expect(library.render(shifts, 'es', { seed: 'a1', delivery: 'session' }).body).toBe(
      'Anotado: tu disponibilidad es sábado por la tarde y domingo por la mañana. Puedes cambiarla cuando quieras escribiéndome.',
    );
    expect(library.render(shifts, 'pt', { seed: 'a1', delivery: 'session' }).body).toContain('sábado à tarde e domingo de manhã');
  });

  it('picks one approved affirmation per aspirant, the same every time', async () => {
    const library = await loadBotTextLibrary(db);
    const render = (seed: string) => library.render({ textKey: 'affirmation', variables: {} }, 'en', { seed, delivery: 'session' }).key;
    expect(render('aspirant-1')).toBe(render('aspirant-1'));
    const chosen = new Set(Array.from({ length: 30 }, (_, index) => render(`aspirant-${index}`)));
    expect(chosen).toEqual(new Set(['affirmation.1', 'affirmation.2', 'affirmation.3']));
  });

  it('falls back to the default language for a text not approved in the aspirant language, and needs every value', () => {
    const row = (key: string, language: BotTextRow['language'], body: string, approved = true): BotTextRow => ({ key, language, body, approved, templateName: null, updatedAt: '', updatedBy: null });
    const library = new BotTextLibrary([row('handoff', 'es', 'Le pedí a un reclutador…'), row('handoff', 'pt', 'rascunho', false)]);
    expect(library.render({ textKey: 'handoff', variables: {} }, 'pt', { seed: 's', delivery: 'session' })).toMatchObject({ language: 'es', body: 'Le pedí a un reclutador…' });
    expect(() => library.render({ textKey: 'fallback', variables: {} }, 'es', { seed: 's', delivery: 'session' })).toThrow(BotTextMissingError);
    const withLink = new BotTextLibrary([row('form.link', 'es', 'Aquí: {formUrl}')]);
    expect(() => withLink.render({ textKey: 'form.link', variables: {} }, 'es', { seed: 's', delivery: 'session' })).toThrow('needs a value for {formUrl}');
  });
});

describe('editing texts', () => {
  it('updates a text, keeps its template unless told, and sends the template only once it is approved', async () => {
    await db.query(
      `INSERT INTO message_templates (name, language, body, variables, twilio_content_sid, approved)
       VALUES ('form_link', 'en', 'Your form: {{1}}', '["form URL"]', 'HX00000000000000000000000000000001', false)`,
    );
    await updateBotText(db, { key: 'form.link', language: 'en', body: 'Your form: {formUrl}', templateName: 'form_link', updatedBy: null }, NOW);
    const edited = await updateBotText(db, { key: 'form.link', language: 'en', body: 'Your personal form: {formUrl}', updatedBy: null }, NOW);
    expect(edited).toMatchObject({ body: 'Your personal form: {formUrl}', templateName: 'form_link', approved: true, variables: ['formUrl'] });
    expect((await loadBotTextLibrary(db)).templateKeys('en')).toEqual(new Set());
    await db.query("UPDATE message_templates SET approved = true WHERE name = 'form_link'");
    const library = await loadBotTextLibrary(db);
    expect(library.templateKeys('en')).toEqual(new Set(['form.link']));
    expect(library.render({ textKey: 'form.link', variables: { formUrl: 'https://x.example/a' } }, 'en', { seed: 's', delivery: 'template' })).toEqual({
      key: 'form.link',
      language: 'en',
      body: 'Your personal form: https://x.example/a',
      template: { name: 'form_link', variables: ['https://x.example/a'] },
    });
    expect(() => library.render({ textKey: 'handoff', variables: {} }, 'en', { seed: 's', delivery: 'template' })).toThrow(BotTextMissingError);
  });

  it('adds affirmation variants, and an unapproved one is never sent', async () => {
    await updateBotText(db, { key: 'affirmation.4', language: 'es', body: 'Gracias, un reclutador te escribirá.', approved: false, updatedBy: null }, NOW);
    const library = await loadBotTextLibrary(db);
    const chosen = new Set(Array.from({ length: 40 }, (_, index) => library.render({ textKey: 'affirmation', variables: {} }, 'es', { seed: `s${index}`, delivery: 'session' }).key));
    expect(chosen.has('affirmation.4')).toBe(false);
  });

  it.each([
    [{ key: 'welcome.extra', language: 'es', body: 'Hola' }, 'key: "welcome.extra" is not a text the bot uses'],
    [{ key: 'welcome', language: 'fr', body: 'Bonjour' }, 'language: must be es, en or pt'],
    [{ key: 'form.link', language: 'es', body: 'Completa tu ficha' }, 'body: must contain {formUrl}'],
    [{ key: 'welcome', language: 'es', body: 'Hola {name}' }, 'body: {name} is not a placeholder of "welcome" (it has none)'],
    [{ key: 'affirmation.1', language: 'es', body: '¡Ya estás contratada!' }, 'body: the bot never promises work'],
    [{ key: 'handoff', language: 'en', body: '   ' }, 'body: must be 1 to 1000 characters'],
    [{ key: 'day.mon', language: 'es', body: 'x'.repeat(81) }, 'body: must be 1 to 80 characters'],
    [{ key: 'handoff', language: 'en', body: 'A recruiter will write.', templateName: 'no_such_template' }, 'templateName: no template "no_such_template" in en'],
    [{ key: 'handoff', language: 'en', body: 'A recruiter will write.', templateName: 'form_link' }, 'templateName: "form_link" has 1 variable(s), "handoff" has 0 placeholder(s)'],
  ])('refuses %j and changes nothing', async (update, message) => {
    const before = await listBotTexts(db);
    const attempt = updateBotText(db, { ...update, updatedBy: null }, NOW);
    await expect(attempt).rejects.toBeInstanceOf(BadRequestError);
    await expect(attempt).rejects.toThrow(message);
    expect(await listBotTexts(db)).toEqual(before);
  });

  it('lists the texts of one language', async () => {
    const portuguese = await listBotTexts(db, { language: 'pt' });
    expect(portuguese.length).toBeGreaterThanOrEqual(34);
    expect(portuguese.every((row) => row.language === 'pt')).toBe(true);
  });
});

describe('language detection', () => {
  it.each([
    ['Hola, quiero información', 'es'],
    ['¿Cuánto pagan?', 'es'],
    ['puedo los sábados por la tarde', 'es'],
    ['Hi, I want to apply', 'en'],
    ['Where is the agency?', 'en'],
    ['Olá, tenho interesse', 'pt'],
    ['Oi, não chegou o link', 'pt'],
    ['Você pode me ajudar?', 'pt'],
  ] as const)('reads "%s" as %s', (text, language) => {
    expect(detectLanguage(text)).toBe(language);
  });

  it.each(['ok', '👍', '', '12345'])('gives no answer for "%s"', (text) => {
    expect(detectLanguage(text)).toBeUndefined();
  });
});
