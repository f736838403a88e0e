import { z } from 'zod';
import { enqueueBotEventForAspirant } from '../bot/job.ts';
import { type BotLanguage } from '../bot/language.ts';
import { listBotTexts, updateBotText as storeBotText, type BotTextListing } from '../bot/texts.ts';
import type { Queryable } from '../data/db.ts';
import type { Aspirant, BotText, Conversation, KnowledgeDocument, Language } from '../generated/graphql.ts';
import { enqueue } from '../jobs/queue.ts';
import {
  addKnowledgeDocument as storeKnowledgeDocument,
  deleteKnowledgeDocument as removeKnowledgeDocument,
  type KnowledgeDocument as StoredKnowledgeDocument,
  listKnowledgeDocuments,
} from '../knowledge/documents.ts';
import { BadRequestError, NotFoundError } from '../shared/errors.ts';
import { botEventJob } from '../worker/kinds.ts';
import { assertAdmin, assertCanSee, type Caller } from './access.ts';
import { aspirantColumns, type AspirantRow, isMinorOn, loadAspirants } from './aspirants.ts';
import { conversationRowById, loadConversations } from './conversations.ts';
import { publishAspirantEvents } from './live.ts';
import { recruitersById } from './recruiters.ts';
import type { AspirantIncludes, ConversationIncludes, Services } from './services.ts';

/**
 * What recruiters and admins do about the bot: take a conversation over and hand it back, record a guardian's
 * consent, and (admins) edit the bot's texts and its knowledge base. The bot hears of each change through a
 * bot.event job enqueued in the same transaction.
 */

const languageCode = z.enum(['ES', 'EN', 'PT']).transform((language) => language.toLowerCase() as BotLanguage);

/** Pauses the bot at once and tells it (its trace shows the take-over); the "needs a recruiter" flag is answered. */
export async function takeOverConversation(services: Services, caller: Caller, conversationId: string, include: ConversationIncludes): Promise<Conversation> {
  const aspirantId = await services.db.transaction(async (tx) => {
    const conversation = await lockVisibleConversation(tx, caller, conversationId);
    if (conversation.botPaused && !conversation.needsRecruiter) return null;
    await tx.query('UPDATE conversations SET bot_paused = true, needs_recruiter = false WHERE id = :id::uuid', { id: conversationId });
    if (!conversation.botPaused) await enqueueConversationEvent(tx, conversation.aspirantId, conversationId, 'recruiter_took_over');
    return conversation.aspirantId;
  });
  if (aspirantId !== null) await publishAspirantEvents(services, aspirantId);
  return reloadConversation(services, caller, conversationId, include);
}

/**
 * Tells the bot to resume where the aspirant stands. The bot job lifts the pause and repeats the current step
 * in the same transaction, so the resume cannot be lost or said twice; a conversation that is not paused is
 * left as it is.
 */
export async function handBackConversation(services: Services, caller: Caller, conversationId: string, include: ConversationIncludes): Promise<Conversation> {
  await services.db.transaction(async (tx) => {
    const conversation = await lockVisibleConversation(tx, caller, conversationId);
    if (conversation.botPaused) await enqueueConversationEvent(tx, conversation.aspirantId, conversationId, 'recruiter_handed_back');
  });
  return reloadConversation(services, caller, conversationId, include);
}

/** A minor's guardian consented: recorded once, and the bot goes on to the photos. */
export async function recordGuardianConsent(services: Services, caller: Caller, aspirantId: string, include: AspirantIncludes): Promise<Aspirant> {
  const row = await services.db.transaction(async (tx) => {
    const [current] = await tx.query<AspirantRow>(`SELECT ${aspirantColumns('a')} FROM aspirants a WHERE a.id = :id::uuid FOR UPDATE`, { id: aspirantId });
    if (current === undefined) throw new NotFoundError('aspirant not found');
    assertCanSee(caller, current.assigneeId, 'aspirant');
    if (current.dateOfBirth === null || !isMinorOn(current.dateOfBirth, services.now())) {
      throw new BadRequestError('aspirantId: guardian consent is only recorded for aspirants under 18 (by the date of birth on their form)');
    }
    if (current.guardianConsentAt !== null) return { row: current, changed: false };
    const [updated] = await tx.query<AspirantRow>(
      `UPDATE aspirants a SET guardian_consent_at = :now::timestamptz, updated_at = :now::timestamptz WHERE a.id = :id::uuid RETURNING ${aspirantColumns('a')}`,
      { id: aspirantId, now: services.now().toISOString() },
    );
    await enqueueBotEventForAspirant(tx, aspirantId, { type: 'guardian_consent_recorded' }, `bot.event:guardian-consent:${aspirantId}`);
    return { row: updated!, changed: true };
  });
  if (row.changed) await publishAspirantEvents(services, aspirantId);
  const [aspirant] = await loadAspirants(services.db, services, [row.row], include);
  return aspirant!;
}

interface LockedConversation {
  readonly aspirantId: string;
  readonly botPaused: boolean;
  readonly needsRecruiter: boolean;
}

async function lockVisibleConversation(tx: Queryable, caller: Caller, conversationId: string): Promise<LockedConversation> {
  const [conversation] = await tx.query<LockedConversation & { assigneeId: string | null }>(
    `SELECT c.aspirant_id, c.bot_paused, c.needs_recruiter, a.assignee_id
       FROM conversations c JOIN aspirants a ON a.id = c.aspirant_id
      WHERE c.id = :id::uuid
        FOR UPDATE OF c`,
    { id: conversationId },
  );
  if (conversation === undefined) throw new NotFoundError('conversation not found');
  assertCanSee(caller, conversation.assigneeId, 'conversation');
  return conversation;
}

const enqueueConversationEvent = (tx: Queryable, aspirantId: string, conversationId: string, type: 'recruiter_took_over' | 'recruiter_handed_back') =>
  enqueue(tx, botEventJob.of({ aspirantId, conversationId, event: { type } }));

async function reloadConversation(services: Services, caller: Caller, conversationId: string, include: ConversationIncludes): Promise<Conversation> {
  const row = await conversationRowById(services.db, conversationId, caller.id);
  const [conversation] = await loadConversations(services.db, services, row === null ? [] : [row], include, caller.id);
  if (conversation === undefined) throw new NotFoundError('conversation not found');
  return conversation;
}

// ---------------------------------------------------------------------------------------------------------
// Admins: the bot's texts and knowledge base
// ---------------------------------------------------------------------------------------------------------

export const botTextsArgs = z.object({ language: languageCode.nullish() });

export const updateBotTextInput = z.object({
  key: z.string().min(1).max(100),
  language: languageCode,
  body: z.string().max(2000),
  approved: z.boolean().nullish(),
  // Absent keeps the template, null removes it.
  templateName: z.string().min(1).max(100).nullish(),
});

const toBotText = (row: BotTextListing): BotText => ({
  key: row.key,
  language: row.language.toUpperCase() as Language,
  body: row.body,
  approved: row.approved,
  templateName: row.templateName,
  variables: [...row.variables],
  updatedAt: row.updatedAt,
});

export async function botTexts(services: Services, caller: Caller, args: z.output<typeof botTextsArgs>): Promise<BotText[]> {
  assertAdmin(caller);
  return (await listBotTexts(services.db, args.language ? { language: args.language } : {})).map(toBotText);
}

export async function updateBotText(services: Services, caller: Caller, input: z.output<typeof updateBotTextInput>): Promise<BotText> {
  assertAdmin(caller);
  const row = await storeBotText(
    services.db,
    {
      key: input.key,
      language: input.language,
      body: input.body,
      ...(input.approved !== null && input.approved !== undefined ? { approved: input.approved } : {}),
      ...(input.templateName !== undefined ? { templateName: input.templateName } : {}),
      updatedBy: caller.id,
    },
    services.now(),
  );
  return toBotText(row);
}

export const addKnowledgeDocumentInput = z
  .object({
    title: z.string().max(200),
    fileName: z.string().max(200),
    language: languageCode,
    contentBase64: z.base64().nullish(),
    text: z.string().nullish(),
  })
  .refine((input) => (input.contentBase64 ?? null) === null !== ((input.text ?? null) === null), 'give the document as contentBase64 or as text, not both');

async function toKnowledgeDocuments(q: Queryable, rows: readonly StoredKnowledgeDocument[]): Promise<KnowledgeDocument[]> {
  const uploaders = await recruitersById(q, rows.map((row) => row.uploadedBy));
  return rows.map((row) => ({
    id: row.id,
    title: row.title,
    fileName: row.fileName,
    contentType: row.contentType,
    language: row.language.toUpperCase() as Language,
    sizeBytes: row.sizeBytes,
    passageCount: row.passageCount,
    uploadedBy: row.uploadedBy === null ? null : (uploaders.get(row.uploadedBy) ?? null),
    createdAt: row.createdAt,
  }));
}

export async function knowledgeDocuments(services: Services, caller: Caller): Promise<KnowledgeDocument[]> {
  assertAdmin(caller);
  return toKnowledgeDocuments(services.db, await listKnowledgeDocuments(services.db));
}

export async function addKnowledgeDocument(services: Services, caller: Caller, input: z.output<typeof addKnowledgeDocumentInput>): Promise<KnowledgeDocument> {
  assertAdmin(caller);
  const bytes = input.contentBase64 ? Buffer.from(input.contentBase64, 'base64') : Buffer.from(input.text ?? '', 'utf8');
  const stored = await storeKnowledgeDocument(
    { db: services.db, blobs: await services.blobs() },
    { title: input.title, fileName: input.fileName, language: input.language, bytes, uploadedBy: caller.id },
    services.now(),
  );
  return (await toKnowledgeDocuments(services.db, [stored]))[0]!;
}

export async function deleteKnowledgeDocument(services: Services, caller: Caller, id: string): Promise<string> {
  assertAdmin(caller);
  await removeKnowledgeDocument({ db: services.db, blobs: await services.blobs() }, id);
  return id;
}
