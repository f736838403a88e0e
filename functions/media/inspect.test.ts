import { describe, expect, it } from 'vitest';
import { PermanentMediaError } from './errors.ts';
import { inspectMedia } from './inspect.ts';
import {
  adtsAac,
  amr,
  isoBox,
  isoMedia,
  mp3,
  oggOpusVoiceNote,
  pdf,
  pdfObjectStream,
  solidImage,
  withGifComment,
  withJpegComment,
  withPngText,
  zipArchive,
} from './testing/samples.ts';

const HTML = Buffer.from('<html><body><script>fetch("/api")</script></body></html>');
const JAVASCRIPT_ACTION = '/OpenAction << /S /JavaScript /JS (app.alert\\(1\\)) >>';

async function rejection(bytes: Buffer): Promise<string> {
  try {
    await inspectMedia(bytes);
  } catch (error) {
    expect(error).toBeInstanceOf(PermanentMediaError);
    return (error as Error).message;
  }
  throw new Error('expected the file to be refused');
}

describe('inspectMedia accepts the formats WhatsApp carries, judged by their bytes', () => {
  it.each([
    ['a JPEG photo', () => solidImage('jpeg'), { kind: 'image', contentType: 'image/jpeg', extension: 'jpg' }],
    ['a PNG', () => solidImage('png'), { kind: 'image', contentType: 'image/png', extension: 'png' }],
    ['a WebP sticker', () => solidImage('webp'), { kind: 'image', contentType: 'image/webp', extension: 'webp' }],
    ['a GIF', () => solidImage('gif'), { kind: 'image', contentType: 'image/gif', extension: 'gif' }],
    ['an Ogg Opus voice note', () => oggOpusVoiceNote(3.2), { kind: 'audio', contentType: 'audio/ogg', extension: 'ogg', durationSeconds: 3.2 }],
    ['an MP3', () => mp3(1000), { kind: 'audio', contentType: 'audio/mpeg', extension: 'mp3', durationSeconds: (1000 * 1152) / 44100 }],
    ['an M4A', () => isoMedia('M4A ', 2), { kind: 'audio', contentType: 'audio/mp4', extension: 'm4a', durationSeconds: 2 }],
    ['an AAC stream', () => adtsAac(431), { kind: 'audio', contentType: 'audio/aac', extension: 'aac', durationSeconds: (431 * 1024) / 44100 }],
    ['an AMR recording', () => amr(150), { kind: 'audio', contentType: 'audio/amr', extension: 'amr', durationSeconds: 3 }],
    ['an MP4 video', () => isoMedia('isom', 4.5), { kind: 'video', contentType: 'video/mp4', extension: 'mp4', durationSeconds: 4.5 }],
    ['a PDF', () => pdf(), { kind: 'document', contentType: 'application/pdf', extension: 'pdf' }],
    ['a PDF with a clean compressed object stream', () => pdf({ extraObjects: [pdfObjectStream(5, ['<< /Title (CV) >>'])] }), { kind: 'document', contentType: 'application/pdf' }],
  ] as const)('%s', async (_name, make, expected) => {
    const result = await inspectMedia(await make());
    expect(result).toMatchObject(expected);
    if ('durationSeconds' in expected) expect(result.durationSeconds).toBeCloseTo(expected.durationSeconds, 6);
  });

  it('ignores what the name or headers would say: a PDF is a PDF whatever it was announced as', async () => {
    const result = await inspectMedia(pdf());
    expect(result.contentType).toBe('application/pdf');
  });
});

describe('inspectMedia refuses unknown types', () => {
  it.each([
    ['HTML', HTML, 'the file type is not recognized'],
    ['SVG', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'), 'the file type is not recognized'],
    ['plain text', Buffer.from('hello, I would like to apply'), 'the file type is not recognized'],
    ['a ZIP archive', zipArchive('cv.docx', 'x'), 'application/zip files are not accepted'],
    ['a JAR', zipArchive(), 'application/java-archive files are not accepted'],
    ['a Windows executable', Buffer.concat([Buffer.from('MZ'), Buffer.alloc(62), Buffer.from('PE\0\0'), Buffer.alloc(200)]), /files are not accepted|not recognized/],
  ] as const)('%s', async (_name, bytes, reason) => {
    expect(await rejection(bytes)).toMatch(reason);
  });
});

describe('inspectMedia refuses polyglots', () => {
  it.each([
    ['a JPEG with a ZIP appended', async () => Buffer.concat([await solidImage('jpeg'), zipArchive()]), /bytes of other data follow the end of the JPG data/],
    ['a JPEG with HTML appended', async () => Buffer.concat([await solidImage('jpeg'), HTML]), /follow the end of the JPG data/],
    ['a JPEG with a PDF appended', async () => Buffer.concat([await solidImage('jpeg'), pdf()]), /follow the end of the JPG data/],
    ['a JPEG with script in a comment segment', async () => withJpegComment(await solidImage('jpeg'), HTML), /image\/jpeg: it contains markup or script \("<html>"\)/],
    ['a JPEG with a PDF in a comment segment', async () => withJpegComment(await solidImage('jpeg'), pdf()), /it contains an embedded PDF document/],
    ['a GIFAR (GIF with a JAR appended)', async () => Buffer.concat([await solidImage('gif'), zipArchive()]), /follow the end of the GIF data/],
    ['a GIFAR hiding the JAR in a comment extension', async () => withGifComment(await solidImage('gif'), zipArchive(undefined, undefined, 2)), /image\/gif: it contains a ZIP archive/],
    ['a PNG with PHP appended', async () => Buffer.concat([await solidImage('png'), Buffer.from('<?php system($_GET["c"]); ?>')]), /follow the end of the PNG data/],
    ['a PNG with PHP in a text chunk', async () => withPngText(await solidImage('png'), 'Comment', '<?php system($_GET["c"]); ?>'), /it contains markup or script \("<\?php"\)/],
    ['a WebP with HTML past its RIFF size', async () => Buffer.concat([await solidImage('webp'), HTML]), /follow the end of the WEBP data/],
    ['a voice note with HTML appended', async () => Buffer.concat([oggOpusVoiceNote(1), HTML]), /follow the end of the OPUS data/],
    ['an MP3 with script in its ID3 tag', async () => mp3(10, '<script src="//evil.example/x.js"></script>'), /it contains markup or script/],
    ['an MP3 with a ZIP appended', async () => Buffer.concat([mp3(10), zipArchive()]), /follow the end of the MP3 data/],
    ['an MP4 with script in a free box', async () => isoMedia('isom', 1, [isoBox('free', HTML)]), /video\/mp4: it contains markup or script/],
    ['an AMR recording with a ZIP appended', async () => Buffer.concat([amr(10), zipArchive()]), /follow the end of the AMR data/],
  ] as const)('%s', async (_name, make, reason) => {
    expect(await rejection(await make())).toMatch(reason);
  });
});

describe('inspectMedia refuses PDFs with active content', () => {
  it.each([
    ['JavaScript run on open', pdf({ catalogExtras: JAVASCRIPT_ACTION }), '(/JavaScript)'],
    ['JavaScript spelled with #xx escapes', pdf({ catalogExtras: '/OpenAction 4 0 R', extraObjects: ['<< /S /J#61vaScript /J#53 (app.alert\\(1\\)) >>'] }), '(/JavaScript)'],
    ['JavaScript packed in a compressed object stream', pdf({ catalogExtras: '/OpenAction 5 0 R', extraObjects: [pdfObjectStream(5, ['<< /S /JavaScript /JS (app.alert\\(1\\)) >>'])] }), '(/JavaScript)'],
    ['a launch action', pdf({ catalogExtras: '/OpenAction << /S /Launch /F (cmd.exe) >>' }), '(/Launch)'],
    ['an embedded file', pdf({ catalogExtras: '/Names << /EmbeddedFiles << /Names [(a.exe) 4 0 R] >> >>', extraObjects: ['<< /Type /Filespec /F (a.exe) >>'] }), '(/EmbeddedFiles)'],
    ['an XFA form', pdf({ catalogExtras: '/AcroForm << /XFA 4 0 R >>', extraObjects: ['<< >>'] }), '(/XFA)'],
  ])('%s', async (_name, bytes, name) => {
    expect(await rejection(bytes)).toBe(`refused application/pdf: the PDF contains active content ${name}`);
  });

  it('refuses a PDF whose object stream cannot be unpacked for inspection', async () => {
    const hexPacked = pdf({ extraObjects: [pdfObjectStream(5, ['<< /S /JavaScript /JS (x) >>'], 'ASCIIHexDecode')] });
    expect(await rejection(hexPacked)).toBe('refused application/pdf: the PDF packs objects with an encoding that cannot be inspected');
    const damaged = pdf({ extraObjects: [Buffer.from('<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode >>\nstream\nnot deflate data\nendstream')] });
    expect(await rejection(damaged)).toMatch(/the PDF packs objects that cannot be unpacked/);
  });

  it('refuses a PDF with data after its last %%EOF', async () => {
    expect(await rejection(Buffer.concat([pdf(), HTML]))).toMatch(/follow the end of the PDF data/);
  });
});
