import type { StoredStatus } from '../../functions/domain/pipeline.ts';
import { botStates } from '../../infra/local/seed/demo.ts';
import { demoNotes, demoTags, experiences, type Line, lines } from '../../infra/local/seed/demoData.ts';
import { BENCH_SEED, seededRandom } from '../lib/random.ts';
import { countries, type Country, firstNames, lastNames, phoneNumber, profileNameFlourishes, recruiterNames } from './people.ts';

/**
 * The inbox benchmark's data, as pure functions of the size and the fixed seed: the same rows on every run, so a
 * seed interrupted half-way resumes with exactly the rows it had not written yet.
 *
 * Shape (per 100,000 aspirants; the small size is the same at a tenth):
 * - 20 recruiters and an admin; 38% of aspirants unassigned (most of those still new), the rest spread evenly
 *   over the 21 accounts; every pipeline status, early ones most common; 3% opted out (their last message is
 *   the opt-out keyword); the full name, profile, date of birth and shifts only once the form was submitted.
 * - One WhatsApp conversation per aspirant (10% through Meta, the rest Twilio).
 * - Messages skewed per conversation: 0.1% are threads of 2,600–6,000 messages over months (so "50 pages
 *   back" exists), the rest log-normal (median ~9, a long tail into the hundreds). Last activity: 8% within
 *   the last day (open and closing windows), 17% within the week, the rest up to a year back.
 * - Both directions; outbound by the bot until a recruiter takes over (then bot_paused); delivery statuses
 *   with their provider status events; a bot trace per bot message; 4% of inbound messages are photos.
 * - Conversation columns as ingestion keeps them: inbound_count, last_activity_at, window_expires_at (last
 *   inbound + 24 h), last_message_id (newest by occurred_at, id); read markers with a few unread messages.
 * Times are relative to a reference instant stored with the seed, not to "now".
 */

export interface InboxSize {
  /** As named on the command line and in the results: `2m`, `200k`. */
  readonly name: string;
  readonly database: string;
  readonly aspirants: number;
  readonly messages: number;
}

export const inboxSizes: Readonly<Record<string, InboxSize>> = {
  '200k': { name: '200k', database: 'wasaprecruit_bench_inbox_200k', aspirants: 10_000, messages: 200_000 },
  '2m': { name: '2m', database: 'wasaprecruit_bench_inbox_2m', aspirants: 100_000, messages: 2_000_000 },
};

/** Changes whenever the generator would write different rows: a database seeded by another version is refused. */
export const GENERATOR_VERSION = 1;

export const RECRUITER_COUNT = recruiterNames.length;
/** The password of every seeded account (a local benchmark database, never a real one). */
export const BENCH_PASSWORD = 'bench-inbox-password';
export const adminEmail = 'bench-admin@example.com';
export const recruiterEmail = (number: number): string => `bench-recruiter${String(number).padStart(2, '0')}@example.com`;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const LONG_THREAD_SHARE = 0.001;

// ---------------------------------------------------------------------------------------------------------
// Deterministic randomness: a hash of (kind, a, b), so any row can be made on its own, in any order.
// ---------------------------------------------------------------------------------------------------------

const fmix = (value: number): number => {
  let h = value;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
};

export function hash32(kind: number, a: number, b = 0): number {
  return fmix(fmix(fmix(BENCH_SEED ^ Math.imul(kind, 0x9e3779b1)) ^ a) + Math.imul(b, 0x85ebca6b));
}

/** A number in [0, 1) for (kind, a, b). */
export const unit = (kind: number, a: number, b = 0): number => hash32(kind, a, b) / 4294967296;

/** What a row is, in its id and hashes: distinct kinds never share ids or random streams. */
export const Kind = {
  recruiter: 1,
  aspirant: 2,
  conversation: 3,
  message: 4,
  media: 5,
  formLink: 6,
  submission: 7,
  note: 8,
  timeline: 9,
  direction: 10,
  body: 11,
  delivery: 12,
  count: 13,
  idempotency: 14,
} as const;

const hex = (value: number, length: number): string => value.toString(16).padStart(length, '0');

/**
 * A version-4-shaped uuid for row (kind, a, b): random-looking leading bytes (index pages fill as with
 * gen_random_uuid), and (kind, a, b) spelled out in the last groups, so two rows never share one.
 */
export function stableUuid(kind: number, a: number, b = 0): string {
  const first = hash32(kind, a, b);
  const second = hash32(kind + 0x100, a, b);
  return `${hex(first, 8)}-${hex(second >>> 16, 4)}-4${hex(second & 0xfff, 3)}-${hex(0x8000 | kind, 4)}-${hex(a * 2 ** 20 + b, 12)}`;
}

const pick = <T>(items: readonly T[], random: number): T => items[Math.floor(random * items.length)]!;

function weighted<T>(choices: readonly (readonly [T, number])[], random: number): T {
  const total = choices.reduce((sum, [, weight]) => sum + weight, 0);
  let left = random * total;
  for (const [choice, weight] of choices) {
    left -= weight;
    if (left < 0) return choice;
  }
  return choices.at(-1)![0];
}

// ---------------------------------------------------------------------------------------------------------
// Recruiters and aspirants
// ---------------------------------------------------------------------------------------------------------

export interface RecruiterPlan {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly role: 'admin' | 'recruiter';
}

/** Account 0 is the admin, 1..RECRUITER_COUNT the recruiters: every one of them is an assignee. */
export const recruiterPlans: readonly RecruiterPlan[] = [
  { id: stableUuid(Kind.recruiter, 0), email: adminEmail, name: 'Ada Admin', role: 'admin' },
  ...recruiterNames.map((name, index) => ({
    id: stableUuid(Kind.recruiter, index + 1),
    email: recruiterEmail(index + 1),
    name,
    role: 'recruiter' as const,
  })),
];

const statusWeights: readonly (readonly [StoredStatus, number])[] = [
  ['new', 22], ['contacted', 14], ['form_sent', 14], ['form_completed', 8], ['photos_requested', 7],
  ['photos_received', 6], ['in_review', 6], ['accepted', 5], ['rejected', 10], ['withdrawn', 8],
];
const earlyStatuses: ReadonlySet<StoredStatus> = new Set(['new', 'contacted', 'form_sent']);
const formStatuses: ReadonlySet<StoredStatus> = new Set(['form_completed', 'photos_requested', 'photos_received', 'in_review', 'accepted']);

export interface AspirantPlan {
  readonly index: number;
  readonly id: string;
  readonly conversationId: string;
  readonly country: Country;
  readonly phone: string;
  readonly firstName: string;
  readonly fullName: string | null;
  readonly whatsappName: string | null;
  readonly status: StoredStatus;
  /** Index into recruiterPlans, or null when unassigned. */
  readonly assignee: number | null;
  readonly optedOut: boolean;
  readonly channel: 'whatsapp_twilio' | 'whatsapp_meta';
  /** Submitted the web form: full name, profile, date of birth and shifts are known. */
  readonly submittedForm: boolean;
  readonly age: number;
  readonly tags: readonly string[];
  readonly longThread: boolean;
  /** From this message on, outbound messages are a recruiter's (the bot is paused); never when unassigned. */
  readonly takeoverFrom: number;
}

export function longThreadCount(size: InboxSize): number {
  return Math.max(2, Math.round(size.aspirants * LONG_THREAD_SHARE));
}

/** Long threads are spread evenly over the aspirants, at the same positions for both sizes. */
export function isLongThread(size: InboxSize, index: number): boolean {
  const stride = Math.floor(size.aspirants / longThreadCount(size));
  return index % stride === Math.floor(stride / 2);
}

export function aspirantPlan(size: InboxSize, index: number): AspirantPlan {
  const random = seededRandom(hash32(Kind.aspirant, index));
  const longThread = isLongThread(size, index);
  const country = weighted(countries.map((candidate) => [candidate, candidate.weight] as const), random());
  const language = country.code === 'US' && random() < 0.1 ? 'es' : country.language;
  const firstName = pick(firstNames[language], random());
  const surname = pick(lastNames[language], random());
  const secondSurname = language === 'es' && random() < 0.5 ? ` ${pick(lastNames.es, random())}` : '';
  const status: StoredStatus = longThread ? (random() < 0.5 ? 'in_review' : 'accepted') : weighted(statusWeights, random());
  const assigned = longThread || random() < (earlyStatuses.has(status) ? 0.35 : 0.9);
  const submittedForm = formStatuses.has(status) || ((status === 'rejected' || status === 'withdrawn') && random() < 0.5);
  const profileStyle = random();
  const whatsappName =
    profileStyle < 0.15 ? null
    : profileStyle < 0.6 ? `${firstName}${pick(profileNameFlourishes, random())}`
    : profileStyle < 0.8 ? `${firstName.slice(0, 4)}${pick(profileNameFlourishes, random())}`
    : `${firstName} ${surname}`;
  const takeover = assigned && (longThread || !earlyStatuses.has(status));
  return {
    index,
    id: stableUuid(Kind.aspirant, index),
    conversationId: stableUuid(Kind.conversation, index),
    country,
    phone: phoneNumber(country, index),
    firstName,
    fullName: submittedForm ? `${firstName} ${surname}${secondSurname}` : null,
    whatsappName,
    status,
    assignee: assigned ? Math.floor(random() * recruiterPlans.length) : null,
    optedOut: !longThread && random() < 0.03,
    channel: random() < 0.1 ? 'whatsapp_meta' : 'whatsapp_twilio',
    submittedForm,
    age: random() < 0.03 ? 16 + Math.floor(random() * 2) : 18 + Math.floor(random() * 10),
    tags: random() < 0.15 ? pick(demoTags, random()) : [],
    longThread,
    takeoverFrom: takeover ? 3 + Math.floor(random() * 6) : Number.POSITIVE_INFINITY,
  };
}

export const aspirantPlans = (size: InboxSize): AspirantPlan[] =>
  Array.from({ length: size.aspirants }, (_, index) => aspirantPlan(size, index));

// ---------------------------------------------------------------------------------------------------------
// How many messages each conversation has, and when each was written
// ---------------------------------------------------------------------------------------------------------

/** Per conversation, summing to exactly size.messages. */
export function messageCounts(size: InboxSize): Int32Array {
  const counts = new Int32Array(size.aspirants);
  let longTotal = 0;
  for (let index = 0; index < size.aspirants; index += 1) {
    if (!isLongThread(size, index)) continue;
    counts[index] = 2_600 + Math.floor(unit(Kind.count, index) * 3_400);
    longTotal += counts[index]!;
  }
  const others = size.aspirants - longThreadCount(size);
  const budget = size.messages - longTotal;
  if (budget < others) throw new Error(`${size.messages} messages cannot give each of ${size.aspirants} conversations one`);
  // Log-normal weights (σ = 1.1): most conversations are short, a few run to hundreds of messages.
  const weights = new Float64Array(size.aspirants);
  let weightTotal = 0;
  for (let index = 0; index < size.aspirants; index += 1) {
    if (counts[index] !== 0) continue;
    const u1 = Math.max(unit(Kind.count, index, 1), 1e-12);
    const u2 = unit(Kind.count, index, 2);
    weights[index] = Math.exp(1.1 * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2));
    weightTotal += weights[index]!;
  }
  let assigned = 0;
  for (let index = 0; index < size.aspirants; index += 1) {
    if (counts[index] !== 0) continue;
    counts[index] = Math.max(1, Math.round(1 + ((budget - others) * weights[index]!) / weightTotal));
    assigned += counts[index]!;
  }
  // Rounding leaves the total a little off: walk the conversations adding or removing one message each.
  let difference = budget - assigned;
  for (let index = 0; difference !== 0; index = (index + 1) % size.aspirants) {
    if (weights[index] === 0) continue;
    if (difference > 0) {
      counts[index]! += 1;
      difference -= 1;
    } else if (counts[index]! > 1) {
      counts[index]! -= 1;
      difference += 1;
    }
  }
  return counts;
}

export interface ConversationSummary {
  readonly firstAt: number;
  readonly lastAt: number;
  readonly lastInboundAt: number;
  readonly inboundCount: number;
  readonly botPaused: boolean;
}

export interface Timelines {
  /** Conversation i's messages are positions offsets[i] .. offsets[i + 1] - 1, oldest first. */
  readonly offsets: Int32Array;
  /** occurred_at of each position, epoch milliseconds. */
  readonly times: Float64Array;
  readonly inbound: Uint8Array;
  readonly conversationOf: Int32Array;
  readonly summaries: readonly ConversationSummary[];
  /** Every position, oldest message first across all conversations: the order the messages are written in. */
  readonly order: Uint32Array;
}

function lastActivityAge(plan: AspirantPlan, random: () => number): number {
  if (plan.longThread) return random() * 3 * DAY;
  const band = random();
  if (band < 0.08) return random() * DAY;
  if (band < 0.25) return DAY + random() * 6 * DAY;
  if (band < 0.6) return 7 * DAY + random() * 83 * DAY;
  return 90 * DAY + random() * 275 * DAY;
}

/**
 * When each message was written and which way it went. A conversation opens with the aspirant's message and
 * an opted-out one closes with the opt-out keyword; in between replies and questions alternate at random.
 * Messages are spread over the conversation's span by exponential gaps (bursts and pauses), to the millisecond.
 */
export function timelines(plans: readonly AspirantPlan[], counts: Int32Array, referenceTime: number): Timelines {
  const offsets = new Int32Array(plans.length + 1);
  for (let index = 0; index < plans.length; index += 1) offsets[index + 1] = offsets[index]! + counts[index]!;
  const total = offsets[plans.length]!;
  const times = new Float64Array(total);
  const inbound = new Uint8Array(total);
  const conversationOf = new Int32Array(total);
  const summaries: ConversationSummary[] = [];
  for (const plan of plans) {
    const random = seededRandom(hash32(Kind.timeline, plan.index));
    const count = counts[plan.index]!;
    const start = offsets[plan.index]!;
    const lastAt = Math.floor(referenceTime - MINUTE - lastActivityAge(plan, random));
    const span = plan.longThread ? (60 + random() * 140) * DAY : Math.min(45 * DAY, Math.max(2 * MINUTE, count * (0.02 + random() * 0.28) * DAY));
    const gaps = Array.from({ length: count - 1 }, () => -Math.log(1 - random()));
    const gapTotal = gaps.reduce((sum, gap) => sum + gap, 0);
    let elapsed = 0;
    let inboundCount = 0;
    let lastInboundAt = 0;
    let botPaused = false;
    for (let position = 0; position < count; position += 1) {
      const at = count === 1 ? lastAt : Math.floor(lastAt - span + (span * elapsed) / gapTotal);
      elapsed += gaps[position] ?? 0;
      const isInbound = position === 0 || (plan.optedOut && position === count - 1) || unit(Kind.direction, plan.index, position) < 0.5;
      times[start + position] = at;
      inbound[start + position] = isInbound ? 1 : 0;
      conversationOf[start + position] = plan.index;
      if (isInbound) {
        inboundCount += 1;
        lastInboundAt = at;
      } else if (position >= plan.takeoverFrom) {
        botPaused = true;
      }
    }
    summaries.push({ firstAt: times[start]!, lastAt: times[start + count - 1]!, lastInboundAt, inboundCount, botPaused });
  }
  const order = new Uint32Array(total);
  for (let position = 0; position < total; position += 1) order[position] = position;
  order.sort((left, right) => times[left]! - times[right]! || left - right);
  return { offsets, times, inbound, conversationOf, summaries, order };
}

// ---------------------------------------------------------------------------------------------------------
// Rows, as the product writes them
// ---------------------------------------------------------------------------------------------------------

export type Row = Record<string, unknown>;
const iso = (time: number): string => new Date(time).toISOString();

export interface PeopleRows {
  readonly aspirants: Row[];
  readonly conversations: Row[];
  readonly reads: Row[];
  readonly formLinks: Row[];
  readonly submissions: Row[];
  readonly notes: Row[];
}

const shiftDays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const shiftWindows = ['morning', 'afternoon', 'evening', 'night'] as const;

/** Everything about aspirants `plans` except their messages (their conversations' last_message_id comes after). */
export function peopleRows(plans: readonly AspirantPlan[], summaries: readonly ConversationSummary[], referenceTime: number): PeopleRows {
  const rows: PeopleRows = { aspirants: [], conversations: [], reads: [], formLinks: [], submissions: [], notes: [] };
  for (const plan of plans) {
    const summary = summaries[plan.index]!;
    const random = seededRandom(hash32(Kind.submission, plan.index));
    const assigneeId = plan.assignee === null ? null : recruiterPlans[plan.assignee]!.id;
    const span = summary.lastAt - summary.firstAt;
    const formSentAt = summary.firstAt + span * 0.2;
    const submittedAt = formSentAt + span * 0.2;
    const birthYear = new Date(referenceTime).getUTCFullYear() - plan.age - 1;
    const dateOfBirth = `${birthYear}-${String(1 + Math.floor(random() * 12)).padStart(2, '0')}-${String(1 + Math.floor(random() * 28)).padStart(2, '0')}`;
    const shifts = shiftDays.filter(() => random() < 0.35).map((day) => ({ day, window: pick(shiftWindows, random()) }));
    const profile = {
      city: plan.country.city,
      heightCm: 155 + Math.floor(random() * 30),
      bustCm: 78 + Math.floor(random() * 16),
      waistCm: 58 + Math.floor(random() * 14),
      hipsCm: 84 + Math.floor(random() * 16),
      shoeSizeEu: 35 + Math.floor(random() * 8) + (random() < 0.5 ? 0.5 : 0),
      experience: pick(experiences[plan.country.language], random()),
      portfolioUrl: null,
      instagram: random() < 0.6 ? `@${plan.firstName.toLowerCase().normalize('NFD').replace(/[^a-z]/g, '')}${plan.index}` : null,
    };
    rows.aspirants.push({
      id: plan.id,
      phone: plan.phone,
      whatsapp_name: plan.whatsappName,
      full_name: plan.fullName,
      status: plan.status,
      language: plan.country.language,
      profile: plan.submittedForm ? profile : null,
      shift_preferences: plan.submittedForm ? shifts : [],
      opted_out_at: plan.optedOut ? iso(summary.lastInboundAt) : null,
      date_of_birth: plan.submittedForm ? dateOfBirth : null,
      guardian_consent_at: plan.submittedForm && plan.age < 18 && random() < 0.5 ? iso(submittedAt + DAY) : null,
      assignee_id: assigneeId,
      tags: plan.tags,
      created_at: iso(summary.firstAt),
      updated_at: iso(summary.lastAt),
    });
    rows.conversations.push({
      id: plan.conversationId,
      aspirant_id: plan.id,
      channel: plan.channel,
      last_activity_at: iso(summary.lastAt),
      inbound_count: summary.inboundCount,
      window_expires_at: iso(summary.lastInboundAt + DAY),
      bot_state: plan.submittedForm && plan.age < 18 ? 'awaiting_guardian_consent' : botStates[plan.status],
      bot_paused: summary.botPaused,
      needs_recruiter: plan.status === 'photos_received' || (plan.assignee === null && random() < 0.03),
      created_at: iso(summary.firstAt),
    });
    // Assignees have read most of their conversations; recent ones often still hold a message or three.
    if (assigneeId !== null && random() < 0.85) {
      const recent = referenceTime - summary.lastAt < 7 * DAY;
      const unread = recent && random() < 0.3 ? 1 + Math.floor(random() * 3) : 0;
      rows.reads.push({
        conversation_id: plan.conversationId,
        recruiter_id: assigneeId,
        read_inbound_count: Math.max(0, summary.inboundCount - unread),
        read_at: iso(Math.min(referenceTime, summary.lastAt + 5 * MINUTE)),
      });
    }
    if (plan.assignee !== 0 && random() < 0.05) {
      rows.reads.push({
        conversation_id: plan.conversationId,
        recruiter_id: recruiterPlans[0]!.id,
        read_inbound_count: summary.inboundCount,
        read_at: iso(Math.min(referenceTime, summary.lastAt + HOUR)),
      });
    }
    const formSent = plan.submittedForm || !earlyStatuses.has(plan.status) || plan.status === 'form_sent';
    if (formSent) {
      const formLinkId = stableUuid(Kind.formLink, plan.index);
      rows.formLinks.push({
        id: formLinkId,
        aspirant_id: plan.id,
        created_at: iso(formSentAt),
        expires_at: iso(formSentAt + 14 * DAY),
        opened_at: plan.submittedForm || random() < 0.5 ? iso(formSentAt + 10 * MINUTE) : null,
        submitted_at: plan.submittedForm ? iso(submittedAt) : null,
        revoked_at: plan.status === 'withdrawn' ? iso(summary.lastAt) : null,
      });
      if (plan.submittedForm) {
        rows.submissions.push({
          id: stableUuid(Kind.submission, plan.index),
          aspirant_id: plan.id,
          form_link_id: formLinkId,
          source: 'web',
          data: { fullName: plan.fullName, dateOfBirth, phone: plan.phone, shiftPreferences: shifts, ...profile },
          submitted_at: iso(submittedAt),
        });
      }
    }
    if (assigneeId !== null && random() < 0.1) {
      const noteCount = 1 + Math.floor(random() * 3);
      for (let note = 0; note < noteCount; note += 1) {
        rows.notes.push({
          id: stableUuid(Kind.note, plan.index, note),
          aspirant_id: plan.id,
          author_id: assigneeId,
          body: pick(demoNotes, random()),
          created_at: iso(summary.firstAt + (span * (note + 1)) / (noteCount + 1)),
        });
      }
    }
  }
  return rows;
}

export interface MessageRows {
  readonly messages: Row[];
  readonly media: Row[];
  readonly statusEvents: Row[];
  readonly botTraces: Row[];
}

const aspirantLines: readonly Line[] = [lines.greet, lines.answer, lines.formDone, lines.photos];
const botLines: readonly Line[] = [lines.welcome, lines.form, lines.photosAsk, lines.guardian];
const recruiterLines: readonly Line[] = [lines.review, lines.accepted, lines.rejected];

// The statuses each final delivery status went through, as the provider's callbacks report them.
const deliveryPaths = {
  read: ['sending', 'sent', 'delivered', 'read'],
  delivered: ['sending', 'sent', 'delivered'],
  sent: ['sending', 'sent'],
  failed: ['sending', 'failed'],
  undelivered: ['sending', 'sent', 'undelivered'],
} as const;
type FinalStatus = keyof typeof deliveryPaths;
const deliveryWeights: readonly (readonly [FinalStatus, number])[] = [['read', 72], ['delivered', 20], ['sent', 3], ['failed', 3], ['undelivered', 2]];
const failures: Readonly<Record<'failed' | 'undelivered', { code: string; reason: string }>> = {
  failed: { code: '63016', reason: 'Failed to send freeform message because you are outside the allowed window.' },
  undelivered: { code: '63024', reason: 'Invalid message recipient' },
};

const fill = (text: string, plan: AspirantPlan, author: string): string =>
  text
    .replaceAll('{name}', plan.firstName)
    .replaceAll('{age}', String(plan.age))
    .replaceAll('{city}', plan.country.city)
    .replaceAll('{recruiter}', author.split(' ')[0]!);

/** The message rows at timeline positions `positions`, with their media, provider status events and bot traces. */
export function messageRows(
  plans: readonly AspirantPlan[],
  timeline: Timelines,
  positions: ArrayLike<number>,
  referenceTime: number,
): MessageRows {
  const rows: MessageRows = { messages: [], media: [], statusEvents: [], botTraces: [] };
  for (let item = 0; item < positions.length; item += 1) {
    const position = positions[item]!;
    const conversation = timeline.conversationOf[position]!;
    const plan = plans[conversation]!;
    const sequence = position - timeline.offsets[conversation]!;
    const isLast = position === timeline.offsets[conversation + 1]! - 1;
    const at = timeline.times[position]!;
    const id = stableUuid(Kind.message, conversation, sequence);
    const providerMessageId = plan.channel === 'whatsapp_meta' ? `wamid.${Buffer.from(id.replaceAll('-', ''), 'hex').toString('base64url')}` : `SM${id.replaceAll('-', '')}`;
    const chance = unit(Kind.body, conversation, sequence);
    const common = { id, conversation_id: plan.conversationId, provider_message_id: providerMessageId, occurred_at: iso(at), created_at: iso(at) };
    if (timeline.inbound[position] === 1) {
      const keyword = plan.optedOut && isLast;
      const photo = !keyword && sequence > 0 && chance < 0.04;
      const line = sequence === 0 ? lines.greet : pick(aspirantLines, chance);
      rows.messages.push({
        ...common,
        direction: 'inbound',
        author_kind: 'aspirant',
        author_id: null,
        body: keyword ? lines.optOut.text[plan.country.language] : photo ? null : fill(line.text[plan.country.language], plan, ''),
        idempotency_key: null,
        status: 'received',
        failure_code: null,
        failure_reason: null,
        auto_reply: keyword ? 'keyword' : 'eligible',
      });
      if (photo) {
        rows.media.push({
          id: stableUuid(Kind.media, conversation, sequence),
          message_id: id,
          position: 0,
          kind: 'image',
          status: 'stored',
          content_type: 'image/jpeg',
          size_bytes: 180_000 + Math.floor(chance * 10_000_000),
          provider_ref: `ME${id.replaceAll('-', '')}`,
          blob_key: `media/${id}/0.jpg`,
          thumbnail_key: `media/${id}/0.thumb.jpg`,
          width: 1080,
          height: 1350,
        });
      }
      continue;
    }
    const byRecruiter = sequence >= plan.takeoverFrom;
    const author = byRecruiter ? recruiterPlans[plan.assignee!]! : null;
    const line = pick(byRecruiter ? recruiterLines : botLines, chance);
    const final: FinalStatus = referenceTime - at < 2 * MINUTE ? 'sent' : weighted(deliveryWeights, unit(Kind.delivery, conversation, sequence));
    const failure = final === 'failed' || final === 'undelivered' ? failures[final] : null;
    rows.messages.push({
      ...common,
      direction: 'outbound',
      author_kind: byRecruiter ? 'recruiter' : 'bot',
      author_id: author?.id ?? null,
      body: fill(line.text[plan.country.language], plan, author?.name ?? ''),
      idempotency_key: byRecruiter ? stableUuid(Kind.idempotency, conversation, sequence) : `bot:${line.intent}:${sequence}`,
      status: final,
      failure_code: failure?.code ?? null,
      failure_reason: failure?.reason ?? null,
      auto_reply: null,
    });
    deliveryPaths[final].forEach((status, step) => {
      const isFailure = failure !== null && step === deliveryPaths[final].length - 1;
      rows.statusEvents.push({
        message_id: id,
        provider_message_id: providerMessageId,
        status,
        error_code: isFailure ? failure.code : null,
        error_message: isFailure ? failure.reason : null,
        received_at: iso(Math.min(referenceTime, at + step * 1500 + (status === 'read' ? 3 * MINUTE : 0))),
      });
    });
    if (!byRecruiter) {
      rows.botTraces.push({
        conversation_id: plan.conversationId,
        message_id: id,
        agent: 'supervisor',
        intent: line.intent,
        confidence: 0.7 + chance * 0.29,
        latency_ms: 15 + Math.floor(chance * 900),
        summary: `Answered with ${line.intent.replaceAll('_', ' ')}`,
        created_at: iso(at),
      });
    }
  }
  return rows;
}
