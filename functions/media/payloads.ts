import { inflateSync } from 'node:zlib';

/**
 * Searches inside an accepted file for content of another kind riding along: markup or script a browser would
 * run if the file were ever sniffed as HTML, a whole PDF, a ZIP archive (a JAR makes a GIFAR), or the active
 * parts of a PDF. Each returns a reason, or undefined when the file is clean.
 */

// Case-insensitive tags and openers long enough not to turn up by chance in compressed data.
const MARKUP = /<(?:script|html|body|iframe|object|embed|svg)[\s/>]|<\?php|<!doctype\s+html|javascript:/i;

export function findMarkup(text: string): string | undefined {
  const found = MARKUP.exec(text);
  return found ? `it contains markup or script ("${found[0].trim()}")` : undefined;
}

export function findEmbeddedPdf(text: string): string | undefined {
  return text.indexOf('%PDF-', 1) === -1 ? undefined : 'it contains an embedded PDF document';
}

/**
 * A ZIP end-of-central-directory record in the last 64 KiB whose fields agree with each other, which is what
 * ZIP and JAR readers look for from the end of a file whatever precedes it.
 */
export function findZipArchive(bytes: Uint8Array): string | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const earliest = Math.max(0, bytes.length - 22 - 0xffff);
  for (let offset = bytes.length - 22; offset >= earliest; offset -= 1) {
    if (view.getUint32(offset, true) !== 0x06054b50) continue;
    const consistent =
      view.getUint16(offset + 4, true) === 0 &&
      view.getUint16(offset + 6, true) === 0 &&
      view.getUint16(offset + 8, true) === view.getUint16(offset + 10, true) &&
      view.getUint32(offset + 16, true) + view.getUint32(offset + 12, true) <= offset;
    if (consistent) return 'it contains a ZIP archive';
  }
  return undefined;
}

// Names that make a PDF run code, launch programs, carry files or send data somewhere.
const ACTIVE_PDF_NAMES = new Set(['JavaScript', 'JS', 'Launch', 'EmbeddedFile', 'EmbeddedFiles', 'RichMedia', 'XFA', 'SubmitForm', 'ImportData', 'GoToE']);
const PDF_NAME = /\/[^\s/[\]()<>{}%]+/g;
const MAX_INFLATED_OBJECT_STREAM_BYTES = 32 * 1024 * 1024;

/** PDF names may hide behind #xx escapes (`/J#61vaScript`); compare them decoded. */
function decodePdfNames(text: string): string {
  return text.replace(PDF_NAME, (name) => name.replace(/#([0-9A-Fa-f]{2})/g, (_escape, hex: string) => String.fromCharCode(parseInt(hex, 16))));
}

function findActiveName(text: string): string | undefined {
  for (const [name] of decodePdfNames(text).matchAll(PDF_NAME)) {
    if (ACTIVE_PDF_NAMES.has(name.slice(1))) return `the PDF contains active content (${name})`;
  }
  return undefined;
}

/**
 * Actions and embedded files live in PDF objects, which are either plain text or packed into compressed object
 * streams; both are searched. An object stream that cannot be unpacked (unknown filter, encryption) cannot be
 * vouched for and is refused.
 */
export function findPdfActiveContent(text: string): string | undefined {
  const plain = findActiveName(text);
  if (plain) return plain;
  let budget = MAX_INFLATED_OBJECT_STREAM_BYTES;
  for (const streamKeyword of text.matchAll(/(?<!end)stream(?:\r\n|\n|\r)/g)) {
    const dataStart = streamKeyword.index + streamKeyword[0].length;
    const dictionary = decodePdfNames(text.slice(text.lastIndexOf('obj', streamKeyword.index), streamKeyword.index));
    if (!/\/Type\s*\/ObjStm\b/.test(dictionary)) continue;
    const filters = [...(/\/Filter\s*(\[[^\]]*\]|\/[^\s/[\]()<>{}%]+)/.exec(dictionary)?.[1] ?? '').matchAll(PDF_NAME)].map(([name]) => name);
    if (!(filters.length === 0 || (filters.length === 1 && filters[0] === '/FlateDecode')) || /\/DecodeParms/.test(dictionary)) {
      return 'the PDF packs objects with an encoding that cannot be inspected';
    }
    const dataEnd = text.indexOf('endstream', dataStart);
    const raw = Buffer.from(text.slice(dataStart, dataEnd === -1 ? undefined : dataEnd), 'latin1');
    let unpacked: string;
    try {
      unpacked = filters.length === 0 ? raw.toString('latin1') : inflateSync(raw, { maxOutputLength: budget }).toString('latin1');
    } catch {
      return 'the PDF packs objects that cannot be unpacked (damaged, encrypted or oversized)';
    }
    budget -= unpacked.length;
    const packed = findActiveName(unpacked);
    if (packed) return packed;
  }
  return undefined;
}
