import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openInMemoryDb } from '../data/connect.ts';
import type { Db } from '../data/db.ts';
import { testDatabases } from '../data/testing.ts';
import { BadRequestError } from '../shared/errors.ts';
import { chunkDocument } from './chunk.ts';
import { addKnowledgeDocument, deleteKnowledgeDocument, getKnowledgeDocument, listKnowledgeDocuments } from './documents.ts';
import { searchPassages } from './search.ts';
import { AGENCY_FAQ_MARKDOWN, temporaryBlobStore } from './testing.ts';

const NOW = new Date('2030-01-01T00:00:00Z');
const encode = (text: string) => new TextEncoder().encode(text);
const sentence = (index: number) => `Frase número ${index} del reglamento, con detalles suficientes para ocupar espacio en el texto.`;

describe('chunking', () => {
  it('keeps each passage under the size, with its heading path, and loses no sentence', () => {
    const longSection = Array.from({ length: 30 }, (_, index) => sentence(index)).join(' ');
    const text = `${AGENCY_FAQ_MARKDOWN}\n## Reglamento\n### Conducta\n${longSection}\n\nÚltimo párrafo corto.`;
    const chunks = chunkDocument(text);
    expect(chunks.map((chunk) => chunk.position)).toEqual(chunks.map((_, index) => index));
    for (const chunk of chunks) expect(chunk.body.length).toBeLessThanOrEqual(800);
    expect(chunks.find((chunk) => chunk.body.startsWith('Los pagos'))?.heading).toBe('Preguntas frecuentes › Pagos');
    const rules = chunks.filter((chunk) => chunk.heading === 'Preguntas frecuentes › Reglamento › Conducta');
    expect(rules.length).toBeGreaterThanOrEqual(3);
    for (const chunk of rules.slice(0, -1)) expect(chunk.body.length).toBeGreaterThanOrEqual(500);
    for (let index = 0; index < 30; index += 1) expect(rules.some((chunk) => chunk.body.includes(sentence(index)))).toBe(true);
    expect(rules.at(-1)!.body).toContain('Último párrafo corto.');
  });

  it('starts a passage with the end of the one before it, so a boundary never splits an answer from its context', () => {
    const text = Array.from({ length: 20 }, (_, index) => sentence(index)).join('\n\n');
    const chunks = chunkDocument(text, { maxChars: 600, overlapChars: 150 });
    expect(chunks.length).toBeGreaterThan(1);
    for (const [index, chunk] of chunks.entries()) {
      if (index === 0) continue;
      const previousLast = chunks[index - 1]!.body.split('\n\n').at(-1)!;
      expect(chunk.body.startsWith(previousLast)).toBe(true);
      expect(chunk.heading).toBeNull();
    }
  });

  it('cuts a paragraph without sentence breaks at words, and a giant word into pieces', () => {
    const words = Array.from({ length: 400 }, (_, index) => `palabra${index}`).join(' ');
    const chunks = chunkDocument(`${words}\n\n${'x'.repeat(2000)}`);
    for (const chunk of chunks) expect(chunk.body.length).toBeLessThanOrEqual(800);
    expect(chunks.map((chunk) => chunk.body).join(' ')).toContain('palabra399');
    expect(chunks.map((chunk) => chunk.body).join('').replace(/[^x]/g, '').length).toBeGreaterThanOrEqual(2000);
  });
});

describe('knowledge documents', () => {
  let db: Db;
  let store: Awaited<ReturnType<typeof temporaryBlobStore>>;
  beforeAll(async () => {
    db = await openInMemoryDb();
    store = await temporaryBlobStore();
  });
  afterAll(async () => {
    await db.close();
    await store.dispose();
  });

  it('keeps the upload in the blob store and indexes its passages', async () => {
    const document = await addKnowledgeDocument({ db, blobs: store.blobs }, { title: 'Preguntas frecuentes', fileName: 'FAQ agencia.md', language: 'es', bytes: encode(AGENCY_FAQ_MARKDOWN), uploadedBy: null }, NOW);
    expect(document).toMatchObject({ title: 'Preguntas frecuentes', contentType: 'text/markdown', language: 'es', passageCount: 4, createdAt: NOW.toISOString() });
    expect(document.blobKey).toBe(`knowledge/${document.id}/FAQ-agencia.md`);
    expect(new TextDecoder().decode((await store.blobs.get(document.blobKey))!.bytes)).toBe(AGENCY_FAQ_MARKDOWN);
    expect((await listKnowledgeDocuments(db)).map((listed) => listed.id)).toEqual([document.id]);

    await deleteKnowledgeDocument({ db, blobs: store.blobs }, document.id);
    expect(await getKnowledgeDocument(db, document.id)).toBeUndefined();
    expect(await store.blobs.get(document.blobKey)).toBeUndefined();
    expect(await db.query('SELECT id FROM knowledge_passages')).toEqual([]);
    await expect(deleteKnowledgeDocument({ db, blobs: store.blobs }, document.id)).rejects.toThrow('no document has this id');
  });

  it.each([
    ['a PDF', { fileName: 'faq.pdf' }, 'only .txt and .md'],
    ['an empty file', { bytes: new Uint8Array() }, 'must be 1 byte to 1024 KiB'],
    ['a file over 1 MiB', { bytes: new Uint8Array(1024 * 1024 + 1).fill(65) }, 'must be 1 byte to 1024 KiB'],
    ['bytes that are not UTF-8', { bytes: new Uint8Array([0xc3, 0x28, 0x41]) }, 'is not UTF-8 text'],
    ['a file of blank lines', { bytes: encode('\n\n   \n') }, 'has no text to answer from'],
    ['a blank title', { title: ' ' }, 'title: must be 1 to 200 characters'],
    ['an unknown language', { language: 'fr' }, 'language: must be es, en or pt'],
  ])('refuses %s and stores nothing', async (_case, override, message) => {
    const upload = { title: 'FAQ', fileName: 'faq.txt', language: 'es', bytes: encode('Texto.'), uploadedBy: null, ...override };
    await expect(addKnowledgeDocument({ db, blobs: store.blobs }, upload, NOW)).rejects.toThrow(BadRequestError);
    await expect(addKnowledgeDocument({ db, blobs: store.blobs }, upload, NOW)).rejects.toThrow(message);
    expect(await listKnowledgeDocuments(db)).toEqual([]);
    const files = await readdir(join(store.dir, 'blobs', 'objects'), { recursive: true, withFileTypes: true }).catch(() => []);
    expect(files.filter((entry) => entry.isFile())).toEqual([]);
  });
});

describe.each(testDatabases())('passage search on $name', (database) => {
  let db: Db;
  let store: Awaited<ReturnType<typeof temporaryBlobStore>>;
  beforeAll(async () => {
    db = await database.open();
    store = await temporaryBlobStore();
    await addKnowledgeDocument({ db, blobs: store.blobs }, { title: 'Preguntas frecuentes', fileName: 'faq.md', language: 'es', bytes: encode(AGENCY_FAQ_MARKDOWN), uploadedBy: null }, NOW);
    await addKnowledgeDocument(
      { db, blobs: store.blobs },
      { title: 'Dress code', fileName: 'dress.txt', language: 'en', bytes: encode('For castings wear neutral clothes.\n\nBring flat shoes and your own make-up remover.'), uploadedBy: null },
      NOW,
    );
  });
  afterAll(async () => {
    await db.close();
    await store.dispose();
  });

  const headings = async (question: string, language: 'es' | 'en' | 'pt' = 'es') => (await searchPassages(db, question, language, 3)).map((passage) => passage.heading ?? passage.documentTitle);

  it.each([
    ['¿Dónde queda la agencia?', 'es', 'Preguntas frecuentes › Ubicación'],
    ['cuanto pagan y cuando?', 'es', 'Preguntas frecuentes › Pagos'],
    ['How do you pay me?', 'en', 'Preguntas frecuentes › Pagos'],
    ['Qual é o endereço?', 'pt', 'Preguntas frecuentes › Ubicación'],
    ['¿Qué edad mínima piden?', 'es', 'Preguntas frecuentes › Edad'],
    ['What shoes should I bring?', 'en', 'Dress code'],
  ] as const)('ranks the passage that answers "%s" first', async (question, language, expected) => {
    expect((await headings(question, language))[0]).toBe(expected);
  });

  it('returns the passage with its document, ranked, and nothing when no word matches', async () => {
    const [best] = await searchPassages(db, 'transferencia bancaria', 'es', 5);
    expect(best).toMatchObject({ documentTitle: 'Preguntas frecuentes', documentLanguage: 'es', heading: 'Preguntas frecuentes › Pagos' });
    expect(best!.body).toContain('transferencia bancaria');
    expect(best!.rank).toBeGreaterThan(0);
    expect(await searchPassages(db, 'bicicletas voladoras', 'es', 5)).toEqual([]);
    expect(await searchPassages(db, '¿?', 'es', 5)).toEqual([]);
  });

  it('treats tsquery syntax in a question as plain words', async () => {
    expect(await headings("pagos & | ! ( ) :* <-> ' \\")).toEqual(['Preguntas frecuentes › Pagos']);
  });
});
