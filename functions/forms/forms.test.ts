import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openInMemoryDb } from '../data/connect.ts';
import type { Db } from '../data/db.ts';
import { ensureFormLink, type FormLinkSettings, issueFormLink, openFormLink, resolveFormLink, revokeFormLinks } from './links.ts';
import { parseApplicationForm } from '../../web/src/features/apply/form/schema.ts';
import { recordSubmission, submitFormLink, toAspirantColumns } from './submissions.ts';
import { FormTokenError, signFormLinkToken, verifyFormLinkToken } from './tokens.ts';
import { acceptFormWebhook, signFormWebhook, verifyFormWebhookSignature } from './webhook.ts';

const SECRET = 'form-link-secret-of-at-least-32-characters';
const WEBHOOK_SECRET = 'form-webhook-secret';
const NOW = new Date('2030-03-04T12:00:00.000Z');
const settings: FormLinkSettings = { secret: SECRET, ttlDays: 7, baseUrl: 'https://wasap.example/apply/' };
const DAY = 86_400_000;

const validForm = {
  language: 'en',
  fullName: '  Ana María López ',
  dateOfBirth: '1999-02-28',
  city: 'Guadalajara',
  heightCm: '172',
  bustCm: 86,
  waistCm: '',
  hipsCm: 92,
  shoeSizeEu: '38,5',
  experience: 'Two catalogue shoots',
  portfolioUrl: 'https://portfolio.example/ana',
  instagram: '@ana.lopez',
  shiftPreferences: [
    { day: 'SAT', window: 'AFTERNOON' },
    { day: 'MON', window: 'EVENING' },
    { day: 'SAT', window: 'AFTERNOON' },
  ],
  consents: { dataProcessing: true, whatsappContact: true },
};

let db: Db;
let aspirantId: string;
beforeAll(async () => {
  db = await openInMemoryDb();
  [{ id: aspirantId }] = (await db.query<{ id: string }>("INSERT INTO aspirants (phone) VALUES ('+523312345678') RETURNING id")) as [{ id: string }];
});
afterAll(async () => {
  await db.close();
});

const claims = { formLinkId: '3f0c7d1e-2b4a-4c8e-9f10-1a2b3c4d5e6f', aspirantId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d', expiresAt: new Date('2030-03-11T12:00:00Z') };

describe('form link tokens', () => {
  it('round-trips the link, the aspirant and the expiry, and fits in a WhatsApp message', () => {
    const token = signFormLinkToken(claims, SECRET);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(token.length).toBeLessThan(100);
    expect(verifyFormLinkToken(token, SECRET, NOW)).toEqual(claims);
    expect(signFormLinkToken(claims, SECRET)).toBe(token);
  });

  it('refuses every single-character change as tampered or malformed', () => {
    const token = signFormLinkToken(claims, SECRET);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    for (let index = 0; index < token.length; index += 1) {
      if (token[index] === '.') continue;
      const replacement = alphabet[(alphabet.indexOf(token[index]!) + 1) % alphabet.length]!;
      const tampered = `${token.slice(0, index)}${replacement}${token.slice(index + 1)}`;
      try {
        verifyFormLinkToken(tampered, SECRET, NOW);
        expect.unreachable(`accepted a token changed at ${index}`);
      } catch (error) {
        expect(error).toBeInstanceOf(FormTokenError);
        expect(['bad_signature', 'malformed']).toContain((error as FormTokenError).kind);
      }
    }
  });

  it('tells expired, foreign and malformed tokens apart', () => {
    const token = signFormLinkToken(claims, SECRET);
    const kindOf = (run: () => unknown) => {
      try {
        run();
        return 'accepted';
      } catch (error) {
        return (error as FormTokenError).kind;
      }
    };
    expect(kindOf(() => verifyFormLinkToken(token, SECRET, claims.expiresAt))).toBe('expired');
    expect(kindOf(() => verifyFormLinkToken(token, `${SECRET}-other`, NOW))).toBe('bad_signature');
    for (const malformed of ['', 'abc', `${token}.x`, token.replace('.', ''), `${token}=`, 'a.b']) {
      expect(kindOf(() => verifyFormLinkToken(malformed, SECRET, NOW))).toBe('malformed');
    }
    expect(() => signFormLinkToken(claims, 'short')).toThrow('FORM_LINK_SECRET must be at least 32 characters');
  });
});

describe('form links', () => {
  it('issues a link that resolves until it is revoked, and reuses it while it has time left', async () => {
    const issued = await issueFormLink(db, aspirantId, settings, NOW);
    expect(issued.url).toBe(`https://wasap.example/apply/${issued.token}`);
    expect(issued.link.expiresAt).toBe('2030-03-11T12:00:00.000Z');
    expect(await resolveFormLink(db, issued.token, SECRET, NOW)).toEqual(issued.link);
    expect((await ensureFormLink(db, aspirantId, settings, new Date(NOW.getTime() + DAY))).link.id).toBe(issued.link.id);
    // With under a day left, a new link is issued.
    const later = await ensureFormLink(db, aspirantId, settings, new Date(NOW.getTime() + 6.5 * DAY));
    expect(later.link.id).not.toBe(issued.link.id);

    expect(await revokeFormLinks(db, aspirantId, NOW)).toBe(2);
    await expect(resolveFormLink(db, issued.token, SECRET, NOW)).rejects.toMatchObject({ kind: 'revoked' });
  });

  it('refuses a genuine token for a link that does not exist or belongs to someone else', async () => {
    const token = signFormLinkToken(claims, SECRET);
    await expect(resolveFormLink(db, token, SECRET, NOW)).rejects.toMatchObject({ kind: 'unknown_link' });
    const issued = await issueFormLink(db, aspirantId, settings, NOW);
    const forged = signFormLinkToken({ formLinkId: issued.link.id, aspirantId: claims.aspirantId, expiresAt: new Date(issued.link.expiresAt) }, SECRET);
    await expect(resolveFormLink(db, forged, SECRET, NOW)).rejects.toMatchObject({ kind: 'unknown_link' });
  });

  it('records the first opening once and hands the page the language and the previous answers', async () => {
    const issued = await issueFormLink(db, aspirantId, settings, NOW);
    const first = await openFormLink(db, issued.token, SECRET, NOW);
    expect(first).toMatchObject({ firstOpen: true, link: { openedAt: NOW.toISOString() } });
    const second = await openFormLink(db, issued.token, SECRET, new Date(NOW.getTime() + 60_000));
    expect(second).toMatchObject({ firstOpen: false, link: { openedAt: NOW.toISOString() } });
  });
});

describe('the application form schema', () => {
  it('accepts a browser submission, normalizing numbers, handle and the shift grid', () => {
    const parsed = parseApplicationForm(validForm, { today: NOW });
    expect(parsed).toEqual({
      ok: true,
      form: {
        language: 'en',
        fullName: 'Ana María López',
        dateOfBirth: '1999-02-28',
        city: 'Guadalajara',
        heightCm: 172,
        bustCm: 86,
        hipsCm: 92,
        shoeSizeEu: 38.5,
        experience: 'Two catalogue shoots',
        portfolioUrl: 'https://portfolio.example/ana',
        instagram: 'ana.lopez',
        shiftPreferences: [
          { day: 'MON', window: 'EVENING' },
          { day: 'SAT', window: 'AFTERNOON' },
        ],
        consents: { dataProcessing: true, whatsappContact: true },
      },
    });
  });

  it('maps a form to the aspirant columns with the GraphQL profile names and lower-case shifts', () => {
    const parsed = parseApplicationForm(validForm, { today: NOW });
    if (!parsed.ok) throw new Error('expected a valid form');
    expect(toAspirantColumns(parsed.form)).toEqual({
      fullName: 'Ana María López',
      dateOfBirth: '1999-02-28',
      language: 'en',
      profile: {
        city: 'Guadalajara',
        heightCm: 172,
        bustCm: 86,
        waistCm: null,
        hipsCm: 92,
        shoeSizeEu: 38.5,
        experience: 'Two catalogue shoots',
        portfolioUrl: 'https://portfolio.example/ana',
        instagram: 'ana.lopez',
      },
      shiftPreferences: [
        { day: 'mon', window: 'evening' },
        { day: 'sat', window: 'afternoon' },
      ],
    });
  });

  it('answers each bad field with its own message in the aspirant language', () => {
    const bad = {
      fullName: '',
      dateOfBirth: '2031-01-01',
      city: 'G',
      heightCm: '3 metros',
      waistCm: 12,
      shoeSizeEu: 38.3,
      portfolioUrl: 'portfolio',
      instagram: 'not a handle!',
      shiftPreferences: [{ day: 'HOLIDAY', window: 'MORNING' }],
      consents: { dataProcessing: false, whatsappContact: true },
    };
    expect(parseApplicationForm(bad, { today: NOW, language: 'es' })).toEqual({
      ok: false,
      errors: {
        fullName: 'Escribe tu nombre completo.',
        dateOfBirth: 'La fecha de nacimiento no puede ser futura.',
        city: 'Escribe el nombre de tu ciudad (2 a 80 caracteres).',
        heightCm: 'La altura debe ser un número entero de centímetros entre 100 y 230.',
        waistCm: 'Las medidas van en centímetros enteros, entre 40 y 200.',
        shoeSizeEu: 'La talla de calzado europea va de 30 a 50 (se permiten medias tallas).',
        portfolioUrl: 'Escribe un enlace completo, que empiece por https://',
        instagram: 'Escribe tu usuario de Instagram, por ejemplo @tu.usuario',
        shiftPreferences: 'Elige los días y horarios de la tabla.',
        'consents.dataProcessing': 'Para postularte debes aceptar el tratamiento de tus datos.',
      },
    });
    const english = parseApplicationForm({ ...validForm, heightCm: '', dateOfBirth: '2020-02-30', shiftPreferences: [], consents: {} }, { today: NOW, language: 'en' });
    expect(english).toEqual({
      ok: false,
      errors: {
        dateOfBirth: 'That date of birth is not valid.',
        heightCm: 'Please enter your height in centimetres.',
        shiftPreferences: 'Tick at least one day and time you can work.',
        'consents.dataProcessing': 'To apply you must accept the processing of your data.',
        'consents.whatsappContact': 'You must agree to be contacted on WhatsApp.',
      },
    });
    const portuguese = parseApplicationForm({ ...validForm, dateOfBirth: '2020-01-01', heightCm: 250 }, { today: NOW, language: 'pt' });
    expect(portuguese).toEqual({
      ok: false,
      errors: {
        dateOfBirth: 'Você precisa ter pelo menos 13 anos para se candidatar.',
        heightCm: 'A altura deve ser um número inteiro de centímetros entre 100 e 230.',
      },
    });
    expect(parseApplicationForm('not an object', { language: 'pt' })).toEqual({ ok: false, errors: { form: 'Não conseguimos ler o formulário. Tente novamente.' } });
  });
});

describe('submitting the form', () => {
  it('updates the aspirant, keeps the validated data and marks the link submitted; a resubmission overwrites', async () => {
    const issued = await issueFormLink(db, aspirantId, settings, NOW);
    const result = await submitFormLink(db, { token: issued.token, body: validForm, secret: SECRET, now: NOW });
    expect(result).toMatchObject({ ok: true, submission: { aspirantId, formLinkId: issued.link.id, minor: false, language: 'en', dateOfBirth: '1999-02-28' } });
    const [aspirant] = await db.query<Record<string, unknown>>('SELECT full_name, date_of_birth, language, profile, shift_preferences FROM aspirants WHERE id = :id::uuid', { id: aspirantId });
    expect(aspirant).toMatchObject({ fullName: 'Ana María López', dateOfBirth: '1999-02-28', language: 'en', profile: { heightCm: 172, city: 'Guadalajara' } });
    expect(aspirant!.shiftPreferences).toEqual([{ day: 'mon', window: 'evening' }, { day: 'sat', window: 'afternoon' }]);
    const [link] = await db.query<{ submittedAt: string }>('SELECT submitted_at FROM form_links WHERE id = :id::uuid', { id: issued.link.id });
    expect(link!.submittedAt).toBe(NOW.toISOString());

    const again = await submitFormLink(db, { token: issued.token, body: { ...validForm, city: 'Monterrey', dateOfBirth: '2014-01-01' }, secret: SECRET, now: new Date(NOW.getTime() + 60_000) });
    expect(again).toMatchObject({ ok: true, submission: { minor: true } });
    const [updated] = await db.query<{ profile: { city: string } }>('SELECT profile FROM aspirants WHERE id = :id::uuid', { id: aspirantId });
    expect(updated!.profile.city).toBe('Monterrey');
    const opened = await openFormLink(db, issued.token, SECRET, NOW);
    expect(opened.previousSubmission).toMatchObject({ city: 'Monterrey' });
  });

  it('stores nothing for invalid fields or a bad token', async () => {
    const count = async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM form_submissions'))[0]!.n;
    const before = await count();
    const issued = await issueFormLink(db, aspirantId, settings, NOW);
    const invalid = await submitFormLink(db, { token: issued.token, body: { ...validForm, language: 'pt', fullName: '' }, secret: SECRET, now: NOW });
    expect(invalid).toEqual({ ok: false, errors: { fullName: 'Escreva seu nome completo.' } });
    await expect(submitFormLink(db, { token: `${issued.token}x`, body: validForm, secret: SECRET, now: NOW })).rejects.toBeInstanceOf(FormTokenError);
    await expect(submitFormLink(db, { token: issued.token, body: validForm, secret: SECRET, now: new Date(NOW.getTime() + 8 * DAY) })).rejects.toMatchObject({ kind: 'expired' });
    expect(await count()).toBe(before);
  });

  it('refuses an unknown aspirant', async () => {
    const parsed = parseApplicationForm(validForm, { today: NOW });
    if (!parsed.ok) throw new Error('expected a valid form');
    await expect(recordSubmission(db, { aspirantId: claims.aspirantId, formLinkId: null, source: 'web', form: parsed.form, now: NOW })).rejects.toThrow('no aspirant has this id');
  });
});

describe('the form webhook', () => {
  const body = (envelope: object) => JSON.stringify(envelope);

  it('checks the HMAC-SHA256 of the exact raw bytes', () => {
    const raw = body({ phone: '+523312345678', form: validForm });
    const signature = signFormWebhook(raw, WEBHOOK_SECRET);
    expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifyFormWebhookSignature(raw, signature, WEBHOOK_SECRET)).toBe(true);
    expect(verifyFormWebhookSignature(Buffer.from(raw), signature.toUpperCase().replace('SHA256', 'sha256'), WEBHOOK_SECRET)).toBe(true);
    expect(verifyFormWebhookSignature(`${raw} `, signature, WEBHOOK_SECRET)).toBe(false);
    expect(verifyFormWebhookSignature(raw, signature, 'another-secret')).toBe(false);
    for (const bad of [undefined, null, '', 'sha256=', signature.slice(7), `sha1=${signature.slice(7)}`, `${signature}00`]) {
      expect(verifyFormWebhookSignature(raw, bad, WEBHOOK_SECRET)).toBe(false);
    }
  });

  it('answers 401 unsigned, 400 malformed or invalid, 404 unknown, 200 recorded — writing only on 200', async () => {
    const count = async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM form_submissions'))[0]!.n;
    const before = await count();
    const accept = (raw: string, signature = signFormWebhook(raw, WEBHOOK_SECRET)) =>
      acceptFormWebhook(db, { rawBody: raw, signature, webhookSecret: WEBHOOK_SECRET, linkSecret: SECRET, now: NOW });

    const byPhone = body({ phone: '+52 1 33 1234 5678', form: validForm });
    expect(await accept(byPhone, 'sha256=' + '0'.repeat(64))).toEqual({ status: 401, reason: 'missing or invalid signature' });
    expect(await accept('{"phone":')).toMatchObject({ status: 400, reason: 'body is not JSON' });
    expect(await accept(body({ form: validForm }))).toMatchObject({ status: 400 });
    expect(await accept(body({ phone: '+523312345678', form: { ...validForm, heightCm: 20 } }))).toEqual({
      status: 400,
      reason: 'invalid form fields',
      errors: { heightCm: 'Height must be a whole number of centimetres from 100 to 230.' },
    });
    expect(await accept(body({ phone: '+34600000000', form: validForm }))).toMatchObject({ status: 404 });
    expect(await accept(body({ token: signFormLinkToken(claims, SECRET), form: validForm }))).toMatchObject({ status: 404 });
    expect(await accept(body({ token: 'forged.token', form: validForm }))).toMatchObject({ status: 400 });
    expect(await count()).toBe(before);

    const recorded = await accept(byPhone);
    expect(recorded).toMatchObject({ status: 200, submission: { aspirantId, formLinkId: null } });
    const issued = await issueFormLink(db, aspirantId, settings, NOW);
    expect(await accept(body({ token: issued.token, form: validForm }))).toMatchObject({ status: 200, submission: { formLinkId: issued.link.id } });
    const [fromWebhook] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM form_submissions WHERE source = 'webhook'");
    expect(fromWebhook!.n).toBe(2);
    expect(await count()).toBe(before + 2);
  });
});
