import { createHash, randomUUID } from 'node:crypto';
import type { Db, Queryable } from '../../../functions/data/db.ts';
import { normalizePhone } from '../../../functions/domain/phone.ts';
import type { StoredStatus } from '../../../functions/domain/pipeline.ts';
import { hashPassword } from '../../../functions/directory/passwords.ts';
import {
  cityOf,
  type DemoAspirant,
  demoAspirants,
  demoNotes,
  demoRecruiters,
  demoTags,
  demoTemplates,
  experiences,
  type Line,
  lines,
  phoneOf,
  scripts,
} from './demoData.ts';

export interface SeedOptions {
  /** The password of every demo account. */
  readonly password: string;
  /** Demo times are relative to this (default: the current time), so windows are open, closing or closed. */
  readonly now?: Date;
}

export interface SeedResult {
  /** False when the database already had recruiters and nothing was written. */
  readonly seeded: boolean;
  readonly recruiters: number;
  readonly aspirants: number;
  readonly messages: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

// Chosen by position in demoAspirants: a minor waiting for guardian consent, and three who opted out.
const MINOR = 24;
const OPTED_OUT: ReadonlySet<number> = new Set([12, 21, 31]);
// Hours since each aspirant last wrote, cycled: windows open, closing (22–24 h) and long closed.
const HOURS_SINCE_LAST_INBOUND = [0.5, 5, 22.6, 40, 3, 23.3, 12, 96, 1.5, 23.8, 70, 8];
const FAILED_SEND = 30;

/** The bot's phase an aspirant in each pipeline status has reached (the benchmark's data uses it too). */
export const botStates: Readonly<Record<StoredStatus, string>> = {
  new: 'welcomed',
  contacted: 'welcomed',
  form_sent: 'awaiting_form',
  form_completed: 'awaiting_photos',
  photos_requested: 'awaiting_photos',
  photos_received: 'completed',
  in_review: 'completed',
  accepted: 'completed',
  rejected: 'completed',
  withdrawn: 'completed',
};

const traceSummaries: Readonly<Record<string, string>> = {
  ask_basics: 'Welcomed the aspirant and asked for age and city',
  send_form: 'Basics complete: sent the personal form link',
  ask_guardian_consent: 'Aspirant is a minor: asked for guardian consent before photos',
  ask_photos: 'Form submitted: asked for face, full-body and profile photos',
};

/**
 * Fills an empty database with a believable demo: an admin, two recruiters and 36 aspirants over every
 * pipeline status, with conversations, form links and submissions, notes, tags and read markers, and the
 * agency's WhatsApp templates in Spanish, Portuguese and English. Does
 * nothing when any recruiter exists. One transaction: all of it or none.
 */
export async function seedDemo(db: Db, options: SeedOptions): Promise<SeedResult> {
  const now = options.now ?? new Date();
  const passwordHashes = await Promise.all(demoRecruiters.map(() => hashPassword(options.password)));
  return db.transaction(async (tx) => {
    // Two hosts starting at once must not both seed.
    await tx.query('LOCK TABLE recruiters IN SHARE ROW EXCLUSIVE MODE');
    const [existing] = await tx.query<{ present: boolean }>('SELECT EXISTS (SELECT 1 FROM recruiters) AS present');
    if (existing?.present) return { seeded: false, recruiters: 0, aspirants: 0, messages: 0 };
    const demo = buildDemo(now, demoRecruiters.map((recruiter, index) => ({ ...recruiter, id: randomUUID(), password_hash: passwordHashes[index] })));
    await insertAll(tx, 'recruiters', { id: 'uuid', email: 'text', name: 'text', role: 'text', password_hash: 'text' }, demo.recruiters);
    await insertAll(tx, 'aspirants', {
      id: 'uuid', phone: 'text', whatsapp_name: 'text', full_name: 'text', status: 'text', language: 'text', profile: 'jsonb',
      shift_preferences: 'jsonb', opted_out_at: 'timestamptz', date_of_birth: 'date', assignee_id: 'uuid', tags: 'jsonb',
      created_at: 'timestamptz', updated_at: 'timestamptz',
    }, demo.aspirants);
    await insertAll(tx, 'conversations', {
      id: 'uuid', aspirant_id: 'uuid', channel: 'text', last_activity_at: 'timestamptz', inbound_count: 'int',
      window_expires_at: 'timestamptz', bot_state: 'text', bot_paused: 'boolean', needs_recruiter: 'boolean', created_at: 'timestamptz',
    }, demo.conversations);
    await insertAll(tx, 'messages', {
      id: 'uuid', conversation_id: 'uuid', direction: 'text', author_kind: 'text', author_id: 'uuid', body: 'text',
      provider_message_id: 'text', status: 'text', failure_code: 'text', failure_reason: 'text', occurred_at: 'timestamptz',
      created_at: 'timestamptz',
    }, demo.messages);
    await tx.query(
      `UPDATE conversations c
          SET last_message_id = (SELECT m.id FROM messages m WHERE m.conversation_id = c.id ORDER BY m.occurred_at DESC, m.id DESC LIMIT 1)`,
    );
    await insertAll(tx, 'message_status_events', {
      message_id: 'uuid', status: 'text', error_code: 'text', error_message: 'text', received_at: 'timestamptz',
    }, demo.statusEvents);
    await insertAll(tx, 'bot_traces', {
      conversation_id: 'uuid', message_id: 'uuid', agent: 'text', intent: 'text', confidence: 'real', latency_ms: 'int',
      summary: 'text', created_at: 'timestamptz',
    }, demo.botTraces);
    await insertAll(tx, 'form_links', {
      id: 'uuid', aspirant_id: 'uuid', created_at: 'timestamptz', expires_at: 'timestamptz', opened_at: 'timestamptz',
      submitted_at: 'timestamptz', revoked_at: 'timestamptz',
    }, demo.formLinks);
    await insertAll(tx, 'form_submissions', {
      aspirant_id: 'uuid', form_link_id: 'uuid', source: 'text', data: 'jsonb', submitted_at: 'timestamptz',
    }, demo.formSubmissions);
    await insertAll(tx, 'aspirant_notes', { aspirant_id: 'uuid', author_id: 'uuid', body: 'text', created_at: 'timestamptz' }, demo.notes);
    await insertAll(tx, 'conversation_reads', {
      conversation_id: 'uuid', recruiter_id: 'uuid', read_inbound_count: 'int', read_at: 'timestamptz',
    }, demo.reads);
    await insertAll(tx, 'message_templates', {
      name: 'text', language: 'text', body: 'text', variables: 'jsonb', twilio_content_sid: 'text', meta_template_name: 'text',
      meta_language: 'text', approved: 'boolean',
    }, demoTemplates.map((template) => ({
      name: template.name,
      language: template.language,
      body: template.body,
      variables: template.variables,
      // Content SIDs as Twilio's Content API would have assigned them, stable for every fresh database.
      twilio_content_sid: `HX${createHash('sha256').update(`wasaprecruit-demo-template:${template.name}:${template.language}`).digest('hex').slice(0, 32)}`,
      meta_template_name: template.name,
      meta_language: template.metaLanguage,
      approved: template.approved,
    })));
    return { seeded: true, recruiters: demo.recruiters.length, aspirants: demo.aspirants.length, messages: demo.messages.length };
  });
}

type Rows = Record<string, unknown>[];

/** One INSERT per table: the rows travel as one jsonb parameter (the Data API cannot bind arrays). */
async function insertAll(tx: Queryable, table: string, columns: Readonly<Record<string, string>>, rows: Rows): Promise<void> {
  if (rows.length === 0) return;
  const names = Object.keys(columns);
  const definitions = names.map((name) => `${name} ${columns[name]}`).join(', ');
  await tx.query(
    `INSERT INTO ${table} (${names.join(', ')}) SELECT ${names.join(', ')} FROM jsonb_to_recordset(:rows::jsonb) AS r(${definitions})`,
    { rows },
  );
}

interface SeededRecruiter {
  readonly key: string;
  readonly id: string;
  readonly name: string;
}

function buildDemo(now: Date, recruiters: (SeededRecruiter & Record<string, unknown>)[]) {
  const byKey = (key: string) => recruiters.find((recruiter) => recruiter.key === key)!;
  const demo = {
    recruiters: recruiters.map(({ key: _key, ...row }) => row) as Rows,
    aspirants: [] as Rows,
    conversations: [] as Rows,
    messages: [] as Rows,
    statusEvents: [] as Rows,
    botTraces: [] as Rows,
    formLinks: [] as Rows,
    formSubmissions: [] as Rows,
    notes: [] as Rows,
    reads: [] as Rows,
  };
  const at = (time: number) => new Date(time).toISOString();

  demoAspirants.forEach((person, index) => {
    const aspirantId = randomUUID();
    const conversationId = randomUUID();
    const assignee = assigneeOf(person, index, byKey);
    const writer = assignee ?? byKey('admin');
    const channel = index % 6 === 5 ? 'whatsapp_meta' : 'whatsapp_twilio';
    const script = scriptOf(person, index);
    const times = timesOf(script, now.getTime(), HOURS_SINCE_LAST_INBOUND[index % HOURS_SINCE_LAST_INBOUND.length]!);
    const lastInbound = Math.max(...script.flatMap((entry, position) => (entry.author === 'aspirant' ? [times[position]!] : [])));
    // The bot knows the WhatsApp profile name; recruiters have read the form.
    const firstName = (name: string) => name.split(' ')[0]!.replace(/[^\p{L}]/gu, '');
    const fill = (text: string) =>
      text
        .replaceAll('{name}', firstName(person.whatsappName ?? person.fullName))
        .replaceAll('{age}', String(ageOf(index)))
        .replaceAll('{city}', cityOf(person))
        .replaceAll('{recruiter}', firstName(writer.name));

    script.forEach((entry, position) => {
      const messageId = randomUUID();
      const inbound = entry.author === 'aspirant';
      const isLast = position === script.length - 1;
      const failed = index === FAILED_SEND && isLast;
      const status = inbound ? 'received' : failed ? 'failed' : isLast && now.getTime() - times[position]! < HOUR ? 'delivered' : 'read';
      const occurredAt = times[position]!;
      demo.messages.push({
        id: messageId,
        conversation_id: conversationId,
        direction: inbound ? 'inbound' : 'outbound',
        author_kind: entry.author,
        author_id: entry.author === 'recruiter' ? writer.id : null,
        body: fill(entry.text[person.language]),
        provider_message_id: providerMessageId(channel, `${index}:${position}`),
        status,
        failure_code: failed ? '63016' : null,
        failure_reason: failed ? 'Failed to send freeform message because you are outside the allowed window.' : null,
        occurred_at: at(occurredAt),
        created_at: at(occurredAt),
      });
      if (!inbound) {
        const reached = failed ? ['failed'] : ['sent', 'delivered', 'read'].slice(0, status === 'read' ? 3 : 2);
        reached.forEach((reachedStatus, step) =>
          demo.statusEvents.push({
            message_id: messageId,
            status: reachedStatus,
            error_code: failed ? '63016' : null,
            error_message: failed ? 'Outside the 24-hour customer-service window' : null,
            received_at: at(Math.min(occurredAt + (step + 1) * 2000 + (reachedStatus === 'read' ? 4 * MINUTE : 0), now.getTime())),
          }),
        );
      }
      if (entry.author === 'bot') {
        demo.botTraces.push({
          conversation_id: conversationId,
          message_id: messageId,
          agent: 'supervisor',
          intent: entry.intent,
          confidence: 0.8 + ((index * 7 + position * 3) % 19) / 100,
          latency_ms: 600 + ((index * 131 + position * 17) % 1400),
          summary: traceSummaries[entry.intent] ?? null,
          created_at: at(occurredAt),
        });
      }
    });

    const timeOf = (wanted: Line) => times[script.indexOf(wanted)];
    const formSentAt = timeOf(lines.form);
    const formDoneAt = timeOf(lines.formDone);
    const formLinkId = randomUUID();
    if (formSentAt !== undefined) {
      const withdrawnAt = timeOf(lines.withdraw);
      demo.formLinks.push({
        id: formLinkId,
        aspirant_id: aspirantId,
        created_at: at(formSentAt),
        expires_at: at(formSentAt + 7 * 24 * HOUR),
        opened_at: formDoneAt !== undefined ? at(formDoneAt - 20 * MINUTE) : index % 2 === 1 ? at(Math.min(formSentAt + HOUR, now.getTime())) : null,
        submitted_at: formDoneAt === undefined ? null : at(formDoneAt),
        revoked_at: withdrawnAt === undefined ? null : at(Math.min(withdrawnAt + 5 * MINUTE, now.getTime())),
      });
    }
    const submission = formDoneAt === undefined ? null : formAnswers(person, index, now);
    if (submission !== null) {
      demo.formSubmissions.push({ aspirant_id: aspirantId, form_link_id: formLinkId, source: 'web_form', data: submission, submitted_at: at(formDoneAt!) });
    }

    const inboundCount = script.filter((entry) => entry.author === 'aspirant').length;
    const lastActivity = times.at(-1)!;
    demo.aspirants.push({
      id: aspirantId,
      phone: normalizePhone(phoneOf(person, index)),
      whatsapp_name: person.whatsappName,
      // The full name, profile and date of birth come from the form.
      full_name: submission?.fullName ?? null,
      status: person.status,
      language: person.language,
      profile: submission === null ? null : profileOf(submission),
      shift_preferences: submission?.shiftPreferences ?? [],
      opted_out_at: OPTED_OUT.has(index) ? at(lastActivity) : null,
      date_of_birth: submission?.dateOfBirth ?? null,
      assignee_id: assignee?.id ?? null,
      tags: index % 4 === 0 ? demoTags[(index / 4) % demoTags.length] : [],
      created_at: at(times[0]! - MINUTE),
      updated_at: at(lastActivity),
    });
    demo.conversations.push({
      id: conversationId,
      aspirant_id: aspirantId,
      channel,
      last_activity_at: at(lastActivity),
      inbound_count: inboundCount,
      window_expires_at: at(lastInbound + 24 * HOUR),
      bot_state: index === MINOR ? 'awaiting_guardian_consent' : botStates[person.status],
      bot_paused: script.some((entry) => entry.author === 'recruiter'),
      needs_recruiter: person.status === 'photos_received' || index === MINOR,
      created_at: at(times[0]!),
    });
    if (assignee !== null) {
      // Some conversations keep an unread message for their recruiter.
      demo.reads.push({
        conversation_id: conversationId,
        recruiter_id: assignee.id,
        read_inbound_count: Math.max(0, inboundCount - (index % 3 === 0 ? 1 : 0)),
        read_at: at(now.getTime() - 10 * MINUTE),
      });
    }
  });

  [3, 6, 7, 17, 18, 29].forEach((index, position) => {
    const aspirant = demo.aspirants[index]!;
    demo.notes.push({
      aspirant_id: aspirant.id,
      author_id: aspirant.assignee_id ?? byKey('admin').id,
      body: demoNotes[position % demoNotes.length],
      created_at: at(now.getTime() - (position + 1) * 37 * MINUTE),
    });
  });
  return demo;
}

function assigneeOf(person: DemoAspirant, index: number, byKey: (key: string) => SeededRecruiter): SeededRecruiter | null {
  if (person.status === 'new') return index === 11 ? byKey('recruiter1') : null;
  if (index % 5 === 0) return null;
  return byKey(index % 2 === 1 ? 'recruiter1' : 'recruiter2');
}

function scriptOf(person: DemoAspirant, index: number): readonly Line[] {
  let script = scripts[person.status];
  if (index === MINOR) {
    script = script.map((entry) => (entry === lines.answer ? lines.answerMinor : entry));
    script = [...script, lines.guardian];
  }
  return OPTED_OUT.has(index) ? [...script, lines.optOut] : script;
}

/**
 * When each message happened: the aspirant's last message `hoursSinceLastInbound` ago, replies a few minutes
 * after what they answer, earlier exchanges hours apart, nothing later than a minute before now.
 */
function timesOf(script: readonly Line[], now: number, hoursSinceLastInbound: number): number[] {
  const lastInbound = script.map((entry) => entry.author).lastIndexOf('aspirant');
  const replyDelay = (entry: Line) => (entry.author === 'bot' ? 2 * MINUTE : entry.author === 'recruiter' ? 35 * MINUTE : 4 * HOUR);
  const times: number[] = [];
  times[lastInbound] = now - hoursSinceLastInbound * HOUR;
  for (let position = lastInbound + 1; position < script.length; position += 1) {
    times[position] = times[position - 1]! + replyDelay(script[position]!);
  }
  for (let position = lastInbound - 1; position >= 0; position -= 1) {
    times[position] = times[position + 1]! - replyDelay(script[position + 1]!);
  }
  return times.map((time, position) => Math.min(time, now - (script.length - position) * MINUTE));
}

function providerMessageId(channel: string, key: string): string {
  const digest = createHash('sha256').update(`wasaprecruit-demo:${key}`).digest();
  return channel === 'whatsapp_meta' ? `wamid.${digest.toString('base64url').slice(0, 40)}` : `SM${digest.toString('hex').slice(0, 32)}`;
}

const ageOf = (index: number): number => (index === MINOR ? 16 : 19 + (index % 8));

const shiftChoices = [
  [{ day: 'sat', window: 'morning' }, { day: 'sun', window: 'afternoon' }],
  [{ day: 'mon', window: 'evening' }, { day: 'wed', window: 'evening' }, { day: 'fri', window: 'afternoon' }],
  [{ day: 'tue', window: 'morning' }, { day: 'thu', window: 'morning' }],
  [{ day: 'fri', window: 'night' }, { day: 'sat', window: 'afternoon' }],
];

/** What the aspirant answered on the web form (the fields the profile shows, plus name, birth date and shifts). */
function formAnswers(person: DemoAspirant, index: number, now: Date) {
  const age = ageOf(index);
  const birthday = new Date(Date.UTC(now.getUTCFullYear() - age, index % 12, 1 + (index % 27)));
  // Birthdays still ahead this year would make them a year younger than stated.
  if (birthday.getTime() > Date.UTC(now.getUTCFullYear() - age, now.getUTCMonth(), now.getUTCDate())) birthday.setUTCFullYear(birthday.getUTCFullYear() - 1);
  const handle = person.fullName.normalize('NFD').replace(/[^A-Za-z ]/g, '').toLowerCase().replace(/ /g, '.');
  return {
    fullName: person.fullName,
    dateOfBirth: birthday.toISOString().slice(0, 10),
    city: cityOf(person),
    heightCm: 160 + ((index * 7) % 25),
    bustCm: 78 + ((index * 3) % 16),
    waistCm: 58 + ((index * 5) % 12),
    hipsCm: 86 + ((index * 3) % 14),
    shoeSizeEu: 36 + (index % 7) * 0.5,
    experience: experiences[person.language][index % 3]!,
    instagram: `@${handle}`,
    portfolioUrl: index % 3 === 0 ? `https://portfolio.example.com/${handle}` : null,
    shiftPreferences: shiftChoices[index % shiftChoices.length]!,
  };
}

function profileOf(answers: ReturnType<typeof formAnswers>) {
  const { city, heightCm, bustCm, waistCm, hipsCm, shoeSizeEu, experience, instagram, portfolioUrl } = answers;
  return { city, heightCm, bustCm, waistCm, hipsCm, shoeSizeEu, experience, instagram, portfolioUrl };
}
