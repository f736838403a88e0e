/**
 * Splits a .txt or .md document into passages the FAQ agent can quote and cite: by headings (each passage
 * keeps its heading path, e.g. "Pagos › Plazos"), then by paragraphs, packed to at most `maxChars`; a passage
 * starts with the last sentence(s) of the one before it in the same section (`overlapChars`), so an answer that
 * straddles a boundary is still found whole. Paragraphs longer than a passage are cut at sentences, and
 * sentences longer than that at words.
 */
export interface Chunk {
  readonly position: number;
  readonly heading: string | null;
  readonly body: string;
}

export interface ChunkOptions {
  readonly maxChars: number;
  readonly overlapChars: number;
}

export const DEFAULT_CHUNK_OPTIONS: ChunkOptions = { maxChars: 800, overlapChars: 150 };

const HEADING = /^(#{1,6})\s+(.+?)\s*#*\s*$/;

interface Section {
  readonly heading: string | null;
  readonly paragraphs: string[];
}

function sections(text: string): Section[] {
  const result: Section[] = [{ heading: null, paragraphs: [] }];
  const path: string[] = [];
  let paragraph: string[] = [];
  const flush = () => {
    const joined = paragraph.join('\n').trim();
    if (joined.length > 0) result.at(-1)!.paragraphs.push(joined);
    paragraph = [];
  };
  for (const line of text.replace(/\r\n?/g, '\n').split('\n')) {
    const heading = HEADING.exec(line);
    if (heading !== null) {
      flush();
      path.length = Math.min(path.length, heading[1]!.length - 1);
      path[heading[1]!.length - 1] = heading[2]!;
      result.push({ heading: path.filter(Boolean).join(' › '), paragraphs: [] });
    } else if (line.trim() === '') {
      flush();
    } else {
      paragraph.push(line);
    }
  }
  flush();
  return result.filter((section) => section.paragraphs.length > 0);
}

const sentencesOf = (paragraph: string): string[] => paragraph.split(/(?<=[.!?…])\s+/).filter((sentence) => sentence.length > 0);

/** Pieces no longer than `max`: sentences, and words of sentences that are longer still. */
function pieces(paragraph: string, max: number): string[] {
  if (paragraph.length <= max) return [paragraph];
  const result: string[] = [];
  for (const sentence of sentencesOf(paragraph)) {
    if (sentence.length <= max) {
      result.push(sentence);
      continue;
    }
    let current = '';
    for (const word of sentence.split(/\s+/)) {
      for (let start = 0; start < word.length; start += max) {
        const part = word.slice(start, start + max);
        const next = current === '' ? part : `${current} ${part}`;
        if (next.length > max) {
          result.push(current);
          current = part;
        } else {
          current = next;
        }
      }
    }
    if (current !== '') result.push(current);
  }
  return result;
}

/** The end of a passage to repeat at the start of the next: whole trailing sentences within `max`. */
function overlapOf(body: string, max: number): string {
  const sentences = sentencesOf(body.replace(/\n+/g, ' '));
  let tail = '';
  for (const sentence of sentences.reverse()) {
    const next = tail === '' ? sentence : `${sentence} ${tail}`;
    if (next.length > max) break;
    tail = next;
  }
  return tail;
}

export function chunkDocument(text: string, options: ChunkOptions = DEFAULT_CHUNK_OPTIONS): Chunk[] {
  if (options.overlapChars >= options.maxChars / 2) throw new RangeError('overlapChars must be under half of maxChars');
  const chunks: Chunk[] = [];
  for (const section of sections(text)) {
    let current = '';
    let hasNewText = false;
    const emit = () => {
      if (hasNewText) chunks.push({ position: chunks.length, heading: section.heading, body: current });
    };
    for (const paragraph of section.paragraphs) {
      for (const piece of pieces(paragraph, options.maxChars)) {
        const joined = current === '' ? piece : `${current}\n\n${piece}`;
        if (joined.length <= options.maxChars) {
          current = joined;
          hasNewText = true;
          continue;
        }
        emit();
        const overlap = overlapOf(current, options.overlapChars);
        current = overlap !== '' && overlap.length + 2 + piece.length <= options.maxChars ? `${overlap}\n\n${piece}` : piece;
        hasNewText = true;
      }
    }
    emit();
  }
  return chunks;
}
