import { randomUUID } from 'node:crypto';
import type { BlobStore } from '../blobs/blobStore.ts';
import type { Db, Queryable } from '../data/db.ts';
import { type BotLanguage, isBotLanguage } from '../bot/language.ts';
import { BadRequestError, NotFoundError } from '../shared/errors.ts';
import { chunkDocument, type ChunkOptions, DEFAULT_CHUNK_OPTIONS } from './chunk.ts';
import { PASSAGE_VECTOR_SQL, SEARCH_CONFIGS } from './search.ts';
import { fold } from './terms.ts';

/**
 * The agency's knowledge base: documents admins upload (plain text or Markdown), kept as uploaded in the blob
 * store and indexed as passages in PostgreSQL full-text search (search.ts).
 */
export interface KnowledgeDocument {
  readonly id: string;
  readonly title: string;
  readonly fileName: string;
  readonly contentType: 'text/plain' | 'text/markdown';
  readonly language: BotLanguage;
  readonly blobKey: string;
  readonly sizeBytes: number;
  readonly uploadedBy: string | null;
  readonly createdAt: string;
  readonly passageCount: number;
}

export interface KnowledgeUpload {
  readonly title: string;
  readonly fileName: string;
  /** The language the document is written in: picks the stemming of its index. */
  readonly language: string;
  readonly bytes: Uint8Array;
  /** The admin's recruiter id. */
  readonly uploadedBy: string | null;
}

export const MAX_DOCUMENT_BYTES = 1024 * 1024;

const CONTENT_TYPES: Readonly<Record<string, KnowledgeDocument['contentType']>> = {
  txt: 'text/plain',
  text: 'text/plain',
  md: 'text/markdown',
  markdown: 'text/markdown',
};

const documentColumns = `d.id, d.title, d.file_name, d.content_type, d.language, d.blob_key, d.size_bytes, d.uploaded_by, d.created_at,
  (SELECT count(*) FROM knowledge_passages p WHERE p.document_id = d.id)::int AS passage_count`;

/** The file name as a blob-key segment: letters, digits, '.', '_' and '-' only. */
const safeFileName = (name: string): string => name.normalize('NFD').replace(/\p{M}/gu, '').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '').slice(0, 100) || 'document';

function validate(upload: KnowledgeUpload): { contentType: KnowledgeDocument['contentType']; text: string; language: BotLanguage; title: string } {
  const title = upload.title.trim();
  if (title.length === 0 || title.length > 200) throw new BadRequestError('title: must be 1 to 200 characters');
  if (!isBotLanguage(upload.language)) throw new BadRequestError('language: must be es, en or pt');
  const extension = /\.([A-Za-z]+)$/.exec(upload.fileName)?.[1]?.toLowerCase();
  const contentType = extension === undefined ? undefined : CONTENT_TYPES[extension];
  if (contentType === undefined) throw new BadRequestError('file: only .txt and .md documents are accepted');
  if (upload.fileName.length > 200) throw new BadRequestError('file: the name can have up to 200 characters');
  if (upload.bytes.length === 0 || upload.bytes.length > MAX_DOCUMENT_BYTES) throw new BadRequestError(`file: must be 1 byte to ${MAX_DOCUMENT_BYTES / 1024} KiB`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(upload.bytes).replace(/^\uFEFF/, '');
  } catch {
    throw new BadRequestError('file: is not UTF-8 text');
  }
  if (text.includes('\u0000')) throw new BadRequestError('file: is not a text document');
  return { contentType, text, language: upload.language, title };
}

/**
 * Stores and indexes a document. Refused with BadRequestError, storing nothing: an empty title, a language other
 * than es/en/pt, a file that is not .txt/.md, empty or over 1 MiB, not UTF-8, or without any text.
 */
export async function addKnowledgeDocument(
  deps: { db: Db; blobs: BlobStore },
  upload: KnowledgeUpload,
  now: Date,
  chunkOptions: ChunkOptions = DEFAULT_CHUNK_OPTIONS,
): Promise<KnowledgeDocument> {
  const { contentType, text, language, title } = validate(upload);
  const chunks = chunkDocument(text, chunkOptions);
  if (chunks.length === 0) throw new BadRequestError('file: has no text to answer from');
  const id = randomUUID();
  const blobKey = `knowledge/${id}/${safeFileName(upload.fileName)}`;
  await deps.blobs.put(blobKey, upload.bytes, `${contentType}; charset=utf-8`);
  try {
    await deps.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO knowledge_documents (id, title, file_name, content_type, language, blob_key, size_bytes, uploaded_by, created_at)
         VALUES (:id::uuid, :title, :fileName, :contentType, :language, :blobKey, :sizeBytes::int, :uploadedBy::uuid, :now::timestamptz)`,
        { id, title, fileName: upload.fileName, contentType, language, blobKey, sizeBytes: upload.bytes.length, uploadedBy: upload.uploadedBy, now: now.toISOString() },
      );
      // One statement for all passages: the Data API runs one statement per call and binds no arrays.
      await tx.query(
        `INSERT INTO knowledge_passages (document_id, position, heading, body, search_vector)
         SELECT :id::uuid, (c->>'position')::int, c->>'heading', c->>'body',
                ${PASSAGE_VECTOR_SQL("c->>'foldedHeading'", "c->>'foldedBody'", ':config')}
           FROM jsonb_array_elements(:chunks::jsonb) AS c`,
        {
          id,
          config: SEARCH_CONFIGS[language],
          chunks: JSON.stringify(
            chunks.map((chunk) => ({ ...chunk, foldedHeading: chunk.heading === null ? null : fold(chunk.heading), foldedBody: fold(chunk.body) })),
          ),
        },
      );
    });
  } catch (error) {
    await deps.blobs.delete(blobKey);
    throw error;
  }
  return (await getKnowledgeDocument(deps.db, id))!;
}

export async function getKnowledgeDocument(q: Queryable, id: string): Promise<KnowledgeDocument | undefined> {
  const [row] = await q.query<KnowledgeDocument>(`SELECT ${documentColumns} FROM knowledge_documents d WHERE d.id = :id::uuid`, { id });
  return row;
}

/** Newest first. */
export function listKnowledgeDocuments(q: Queryable): Promise<KnowledgeDocument[]> {
  return q.query<KnowledgeDocument>(`SELECT ${documentColumns} FROM knowledge_documents d ORDER BY d.created_at DESC, d.id DESC`);
}

/** Removes a document, its passages and its blob. NotFoundError when there is no such document. */
export async function deleteKnowledgeDocument(deps: { db: Db; blobs: BlobStore }, id: string): Promise<void> {
  const [deleted] = await deps.db.query<{ blobKey: string }>('DELETE FROM knowledge_documents WHERE id = :id::uuid RETURNING blob_key', { id });
  if (deleted === undefined) throw new NotFoundError('knowledge document: no document has this id');
  await deps.blobs.delete(deleted.blobKey);
}
