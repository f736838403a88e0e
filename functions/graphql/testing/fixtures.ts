import type { Queryable } from '../../data/db.ts';

/**
 * Rows for tests, written with plain SQL so a test states exactly the data it needs. Every helper returns
 * the new row's id.
 */

let phoneCounter = 0;
/** A distinct valid E.164 number per call (US 212-555 range). */
export const nextPhone = (): string => `+1212555${String(1000 + (phoneCounter++ % 9000)).padStart(4, '0')}`;

export async function insertRecruiter(
  q: Queryable,
  recruiter: { name: string; email?: string; role?: 'admin' | 'recruiter'; active?: boolean; passwordHash?: string },
): Promise<string> {
  const [row] = await q.query<{ id: string }>(
    `INSERT INTO recruiters (email, name, role, active, password_hash)
     VALUES (:email, :name, :role, :active::boolean, :passwordHash) RETURNING id`,
    {
      email: recruiter.email ?? `${recruiter.name.toLowerCase().replace(/\W+/g, '.')}@example.com`,
      name: recruiter.name,
      role: recruiter.role ?? 'recruiter',
      active: recruiter.active ?? true,
      passwordHash: recruiter.passwordHash ?? null,
    },
  );
  return row!.id;
}

export interface AspirantFixture {
  phone?: string;
  fullName?: string | null;
  whatsappName?: string | null;
  status?: string;
  assigneeId?: string | null;
  optedOutAt?: Date | null;
  dateOfBirth?: string | null;
  tags?: string[];
  profile?: Record<string, unknown> | null;
  shiftPreferences?: { day: string; window: string }[];
  /** When the aspirant first wrote (created_at and updated_at); default now. */
  createdAt?: Date;
}

export async function insertAspirant(q: Queryable, aspirant: AspirantFixture = {}): Promise<string> {
  const [row] = await q.query<{ id: string }>(
    `INSERT INTO aspirants (phone, full_name, whatsapp_name, status, assignee_id, opted_out_at, date_of_birth, tags, profile,
                            shift_preferences, created_at, updated_at)
     VALUES (:phone, :fullName, :whatsappName, :status, :assigneeId::uuid, :optedOutAt::timestamptz, :dateOfBirth::date,
             :tags::jsonb, :profile::jsonb, :shiftPreferences::jsonb, coalesce(:createdAt::timestamptz, now()),
             coalesce(:createdAt::timestamptz, now()))
     RETURNING id`,
    {
      phone: aspirant.phone ?? nextPhone(),
      fullName: aspirant.fullName ?? null,
      whatsappName: aspirant.whatsappName ?? null,
      status: aspirant.status ?? 'new',
      assigneeId: aspirant.assigneeId ?? null,
      optedOutAt: aspirant.optedOutAt ?? null,
      dateOfBirth: aspirant.dateOfBirth ?? null,
      tags: aspirant.tags ?? [],
      profile: aspirant.profile ?? null,
      shiftPreferences: aspirant.shiftPreferences ?? [],
      createdAt: aspirant.createdAt ?? null,
    },
  );
  return row!.id;
}

export interface ConversationFixture {
  aspirantId: string;
  channel?: 'whatsapp_twilio' | 'whatsapp_meta';
  lastActivityAt: Date;
  windowExpiresAt?: Date | null;
  inboundCount?: number;
}

export async function insertConversation(q: Queryable, conversation: ConversationFixture): Promise<string> {
  const [row] = await q.query<{ id: string }>(
    `INSERT INTO conversations (aspirant_id, channel, last_activity_at, window_expires_at, inbound_count)
     VALUES (:aspirantId::uuid, :channel, :lastActivityAt::timestamptz, :windowExpiresAt::timestamptz, :inboundCount::int)
     RETURNING id`,
    {
      aspirantId: conversation.aspirantId,
      channel: conversation.channel ?? 'whatsapp_twilio',
      lastActivityAt: conversation.lastActivityAt,
      windowExpiresAt: conversation.windowExpiresAt ?? null,
      inboundCount: conversation.inboundCount ?? 0,
    },
  );
  return row!.id;
}

export interface MessageFixture {
  conversationId: string;
  occurredAt: Date;
  direction?: 'inbound' | 'outbound';
  authorKind?: 'aspirant' | 'bot' | 'recruiter';
  authorId?: string | null;
  body?: string;
  status?: string;
}

/** A message; it also becomes the conversation's last message. */
export async function insertMessage(q: Queryable, message: MessageFixture): Promise<string> {
  const direction = message.direction ?? 'inbound';
  const [row] = await q.query<{ id: string }>(
    `INSERT INTO messages (conversation_id, direction, author_kind, author_id, body, status, occurred_at)
     VALUES (:conversationId::uuid, :direction, :authorKind, :authorId::uuid, :body, :status, :occurredAt::timestamptz)
     RETURNING id`,
    {
      conversationId: message.conversationId,
      direction,
      authorKind: message.authorKind ?? (direction === 'inbound' ? 'aspirant' : 'bot'),
      authorId: message.authorId ?? null,
      body: message.body ?? 'hola',
      status: message.status ?? (direction === 'inbound' ? 'received' : 'sent'),
      occurredAt: message.occurredAt,
    },
  );
  await q.query('UPDATE conversations SET last_message_id = :id::uuid WHERE id = :conversationId::uuid', {
    id: row!.id,
    conversationId: message.conversationId,
  });
  return row!.id;
}

/** Hours from a reference time, as a Date. */
export const hoursFrom = (reference: Date, hours: number): Date => new Date(reference.getTime() + hours * 3_600_000);
