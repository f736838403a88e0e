import { fileTypeFromBuffer } from 'file-type';
import {
  walkAdts,
  walkAmr,
  walkGif,
  walkIsoBmff,
  walkJpeg,
  walkMp3,
  walkOgg,
  walkPdf,
  walkPng,
  walkRiff,
  type ContainerWalker,
} from './containers.ts';
import { PermanentMediaError } from './errors.ts';
import { findEmbeddedPdf, findMarkup, findPdfActiveContent, findZipArchive } from './payloads.ts';

export type MediaKind = 'image' | 'audio' | 'video' | 'document';

export interface InspectedMedia {
  readonly kind: MediaKind;
  /** Decided from the bytes; the one to store and serve with. */
  readonly contentType: string;
  readonly extension: string;
  readonly durationSeconds?: number;
}

interface AcceptedFormat {
  readonly kind: MediaKind;
  readonly contentType: string;
  readonly walk: ContainerWalker;
}

/** What WhatsApp carries, keyed by the extension `file-type` reports for the bytes. */
const ACCEPTED_FORMATS: Readonly<Record<string, AcceptedFormat>> = {
  jpg: { kind: 'image', contentType: 'image/jpeg', walk: walkJpeg },
  png: { kind: 'image', contentType: 'image/png', walk: walkPng },
  webp: { kind: 'image', contentType: 'image/webp', walk: walkRiff },
  gif: { kind: 'image', contentType: 'image/gif', walk: walkGif },
  opus: { kind: 'audio', contentType: 'audio/ogg', walk: walkOgg },
  ogg: { kind: 'audio', contentType: 'audio/ogg', walk: walkOgg },
  mp3: { kind: 'audio', contentType: 'audio/mpeg', walk: walkMp3 },
  m4a: { kind: 'audio', contentType: 'audio/mp4', walk: walkIsoBmff },
  aac: { kind: 'audio', contentType: 'audio/aac', walk: walkAdts },
  amr: { kind: 'audio', contentType: 'audio/amr', walk: walkAmr },
  mp4: { kind: 'video', contentType: 'video/mp4', walk: walkIsoBmff },
  '3gp': { kind: 'video', contentType: 'video/3gpp', walk: walkIsoBmff },
  pdf: { kind: 'document', contentType: 'application/pdf', walk: walkPdf },
};

/**
 * Decides what a downloaded file is from its bytes alone (headers and file names are never consulted) and
 * refuses anything outside the allow-list or carrying a second format: trailing data after the format's end,
 * markup or script, an embedded PDF or ZIP (GIFAR), PDF scripts and attachments. Throws `PermanentMediaError`
 * with the reason.
 */
export async function inspectMedia(bytes: Uint8Array): Promise<InspectedMedia> {
  const detected = await fileTypeFromBuffer(bytes);
  if (!detected) throw new PermanentMediaError('the file type is not recognized');
  const format = ACCEPTED_FORMATS[detected.ext];
  if (!format) throw new PermanentMediaError(`${detected.mime} files are not accepted`);

  const layout = format.walk(bytes);
  const trailing = bytes.subarray(layout.end);
  if (trailing.some((byte) => byte !== 0)) {
    throw new PermanentMediaError(`${trailing.length} bytes of other data follow the end of the ${detected.ext.toUpperCase()} data`);
  }
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const isPdf = format.contentType === 'application/pdf';
  // Markup is only searched outside PDFs, whose uncompressed text may quote it legitimately; a PDF's own
  // danger is its active content.
  const payload = findZipArchive(bytes) ?? (isPdf ? findPdfActiveContent(text) : (findMarkup(text) ?? findEmbeddedPdf(text)));
  if (payload) throw new PermanentMediaError(`refused ${format.contentType}: ${payload}`);

  return {
    kind: format.kind,
    contentType: format.contentType,
    extension: detected.ext === 'opus' ? 'ogg' : detected.ext,
    ...(layout.durationSeconds !== undefined && Number.isFinite(layout.durationSeconds) ? { durationSeconds: layout.durationSeconds } : {}),
  };
}
