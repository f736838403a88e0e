import { PermanentMediaError } from './errors.ts';

/**
 * Structure walkers for the accepted formats. Each follows the format's own framing from the first byte to its
 * end marker and returns where the file logically ends, so bytes appended after it (the usual polyglot trick:
 * a ZIP, HTML or script glued to an image or a voice note) are seen instead of silently kept. They check framing
 * only, not the codec data inside.
 */
export interface ContainerLayout {
  /** Offset just past the format's last structure. */
  readonly end: number;
  readonly durationSeconds?: number;
}

export type ContainerWalker = (bytes: Uint8Array) => ContainerLayout;

class Reader {
  constructor(
    readonly bytes: Uint8Array,
    private readonly format: string,
  ) {}

  get length(): number {
    return this.bytes.length;
  }

  private need(offset: number, size: number): void {
    if (offset < 0 || offset + size > this.bytes.length) throw this.malformed('it is truncated');
  }

  u8(offset: number): number {
    this.need(offset, 1);
    return this.bytes[offset]!;
  }

  u16be(offset: number): number {
    return (this.u8(offset) << 8) | this.u8(offset + 1);
  }

  u16le(offset: number): number {
    return this.u8(offset) | (this.u8(offset + 1) << 8);
  }

  u32be(offset: number): number {
    return this.u16be(offset) * 0x10000 + this.u16be(offset + 2);
  }

  u32le(offset: number): number {
    return this.u16le(offset) + this.u16le(offset + 2) * 0x10000;
  }

  u64be(offset: number): number {
    return this.u32be(offset) * 0x1_0000_0000 + this.u32be(offset + 4);
  }

  u64le(offset: number): number {
    return this.u32le(offset) + this.u32le(offset + 4) * 0x1_0000_0000;
  }

  ascii(offset: number, size: number): string {
    this.need(offset, size);
    return String.fromCharCode(...this.bytes.subarray(offset, offset + size));
  }

  malformed(problem: string): PermanentMediaError {
    return new PermanentMediaError(`not a well-formed ${this.format} file: ${problem}`);
  }
}

export const walkJpeg: ContainerWalker = (bytes) => {
  const reader = new Reader(bytes, 'JPEG');
  if (reader.u16be(0) !== 0xffd8) throw reader.malformed('no start-of-image marker');
  let offset = 2;
  for (;;) {
    if (reader.u8(offset) !== 0xff) throw reader.malformed(`expected a marker at byte ${offset}`);
    while (reader.u8(offset) === 0xff) offset += 1; // fill bytes
    const marker = reader.u8(offset);
    offset += 1;
    if (marker === 0xd9) return { end: offset }; // end of image
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) continue; // markers without a length
    const length = reader.u16be(offset);
    if (length < 2) throw reader.malformed('a segment has an impossible length');
    offset += length;
    if (marker === 0xda) offset = skipEntropyCodedData(reader, offset);
  }
};

/** Scan data runs to the next marker: 0xFF is followed by 0x00 (stuffing) or a restart marker inside it. */
function skipEntropyCodedData(reader: Reader, start: number): number {
  const { bytes } = reader;
  for (let offset = start; offset < bytes.length - 1; offset += 1) {
    if (bytes[offset] !== 0xff) continue;
    const next = bytes[offset + 1]!;
    if (next === 0x00 || (next >= 0xd0 && next <= 0xd7) || next === 0xff) continue;
    return offset;
  }
  throw reader.malformed('the image data has no end-of-image marker');
}

export const walkPng: ContainerWalker = (bytes) => {
  const reader = new Reader(bytes, 'PNG');
  if (reader.ascii(1, 3) !== 'PNG' || reader.u32be(4) !== 0x0d0a1a0a) throw reader.malformed('bad signature');
  let offset = 8;
  for (let index = 0; ; index += 1) {
    const length = reader.u32be(offset);
    const type = reader.ascii(offset + 4, 4);
    if (index === 0 && type !== 'IHDR') throw reader.malformed('the first chunk is not IHDR');
    offset += 12 + length;
    if (offset > reader.length) throw reader.malformed('it is truncated');
    if (type === 'IEND') return { end: offset };
  }
};

export const walkGif: ContainerWalker = (bytes) => {
  const reader = new Reader(bytes, 'GIF');
  const colorTableSize = (packed: number) => ((packed & 0x80) !== 0 ? 3 * 2 ** ((packed & 0x07) + 1) : 0);
  const skipSubBlocks = (start: number) => {
    let offset = start;
    for (let size = reader.u8(offset); size !== 0; size = reader.u8(offset)) offset += size + 1;
    return offset + 1;
  };
  let offset = 13 + colorTableSize(reader.u8(10));
  for (;;) {
    const introducer = reader.u8(offset);
    if (introducer === 0x3b) return { end: offset + 1 }; // trailer
    if (introducer === 0x21) offset = skipSubBlocks(offset + 2); // extension: label, then data sub-blocks
    else if (introducer === 0x2c) offset = skipSubBlocks(offset + 10 + colorTableSize(reader.u8(offset + 9)) + 1);
    else throw reader.malformed(`unexpected block 0x${introducer.toString(16)} at byte ${offset}`);
  }
};

export const walkRiff: ContainerWalker = (bytes) => {
  const reader = new Reader(bytes, 'WebP');
  const end = 8 + reader.u32le(4);
  if (end > reader.length) throw reader.malformed('it is truncated');
  return { end };
};

export const walkPdf: ContainerWalker = (bytes) => {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const lastEof = text.lastIndexOf('%%EOF');
  if (lastEof === -1) throw new Reader(bytes, 'PDF').malformed('no %%EOF marker');
  const trailingWhitespace = /^[\r\n\t \0]*/.exec(text.slice(lastEof + 5))![0].length;
  return { end: lastEof + 5 + trailingWhitespace };
};

/** ISO base media (MP4, M4A, 3GP): top-level boxes tile the file; the duration comes from moov/mvhd. */
export const walkIsoBmff: ContainerWalker = (bytes) => {
  const reader = new Reader(bytes, 'MP4');
  const boxes = (start: number, end: number) => {
    const found: Array<{ type: string; body: number; end: number }> = [];
    for (let offset = start; offset < end; ) {
      let size = reader.u32be(offset);
      const type = reader.ascii(offset + 4, 4);
      let header = 8;
      if (size === 1) {
        size = reader.u64be(offset + 8);
        header = 16;
      } else if (size === 0) {
        size = end - offset;
      }
      if (size < header || offset + size > end) throw reader.malformed(`box "${type}" does not fit`);
      found.push({ type, body: offset + header, end: offset + size });
      offset += size;
    }
    return found;
  };
  const top = boxes(0, reader.length);
  if (top[0]?.type !== 'ftyp') throw reader.malformed('it does not start with an ftyp box');
  const moov = top.find((box) => box.type === 'moov');
  const mvhd = moov && boxes(moov.body, moov.end).find((box) => box.type === 'mvhd');
  if (!mvhd) return { end: reader.length };
  const version = reader.u8(mvhd.body);
  const timescale = version === 1 ? reader.u32be(mvhd.body + 20) : reader.u32be(mvhd.body + 12);
  const duration = version === 1 ? reader.u64be(mvhd.body + 24) : reader.u32be(mvhd.body + 16);
  return { end: reader.length, ...(timescale > 0 ? { durationSeconds: duration / timescale } : {}) };
};

/** Ogg (Opus voice notes, Vorbis): pages follow each other to the end; the last granule position gives the duration. */
export const walkOgg: ContainerWalker = (bytes) => {
  const reader = new Reader(bytes, 'Ogg');
  let offset = 0;
  let lastGranule = 0;
  while (offset < reader.length && reader.ascii(offset, 4) === 'OggS') {
    const segments = reader.u8(offset + 26);
    let bodySize = 0;
    for (let index = 0; index < segments; index += 1) bodySize += reader.u8(offset + 27 + index);
    const granule = reader.u64le(offset + 6);
    // 2^64-1 marks a page on which no packet ends.
    if (granule < 2 ** 63) lastGranule = granule;
    offset += 27 + segments + bodySize;
    if (offset > reader.length) throw reader.malformed('the last page is truncated');
  }
  if (offset === 0) throw reader.malformed('no Ogg page');
  const firstBody = 27 + reader.u8(26);
  const codec = reader.ascii(firstBody, 8);
  if (codec === 'OpusHead') {
    const preSkip = reader.u16le(firstBody + 10);
    return { end: offset, durationSeconds: Math.max(lastGranule - preSkip, 0) / 48_000 };
  }
  if (codec.slice(1, 7) === 'vorbis') {
    const sampleRate = reader.u32le(firstBody + 12);
    return { end: offset, ...(sampleRate > 0 ? { durationSeconds: lastGranule / sampleRate } : {}) };
  }
  return { end: offset };
};

/** Where the audio starts after an optional ID3v2 tag. */
function afterId3(reader: Reader): number {
  if (reader.length < 10 || reader.ascii(0, 3) !== 'ID3') return 0;
  const size = [6, 7, 8, 9].reduce((total, index) => total * 128 + (reader.u8(index) & 0x7f), 0);
  const footer = (reader.u8(5) & 0x10) !== 0 ? 10 : 0;
  return 10 + size + footer;
}

const MP3_BITRATES_KBPS = {
  mpeg1: [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  mpeg2: [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
};
const MP3_SAMPLE_RATES: Record<number, readonly number[]> = { 3: [44100, 48000, 32000], 2: [22050, 24000, 16000], 0: [11025, 12000, 8000] };

/** MPEG audio layer III: frame after frame to the end, an ID3v1 tag allowed as the last 128 bytes. */
export const walkMp3: ContainerWalker = (bytes) => {
  const reader = new Reader(bytes, 'MP3');
  let offset = afterId3(reader);
  let samples = 0;
  let sampleRate = 0;
  let frames = 0;
  while (offset + 4 <= reader.length) {
    if (reader.length - offset === 128 && reader.ascii(offset, 3) === 'TAG') return mp3Layout(reader.length, samples, sampleRate);
    const header = reader.u32be(offset);
    const version = (header >>> 19) & 0x3;
    const layer = (header >>> 17) & 0x3;
    const bitrateIndex = (header >>> 12) & 0xf;
    const rates = MP3_SAMPLE_RATES[version];
    const rate = rates?.[(header >>> 10) & 0x3];
    if ((header >>> 21) !== 0x7ff || layer !== 1 || bitrateIndex === 0 || bitrateIndex === 15 || rate === undefined) break;
    const isMpeg1 = version === 3;
    const bitrate = (isMpeg1 ? MP3_BITRATES_KBPS.mpeg1 : MP3_BITRATES_KBPS.mpeg2)[bitrateIndex]! * 1000;
    const padding = (header >>> 9) & 0x1;
    offset += Math.floor(((isMpeg1 ? 144 : 72) * bitrate) / rate) + padding;
    samples += isMpeg1 ? 1152 : 576;
    sampleRate = rate;
    frames += 1;
  }
  if (frames === 0) throw reader.malformed('no MPEG audio frame');
  if (offset > reader.length) throw reader.malformed('the last frame is truncated');
  return mp3Layout(offset, samples, sampleRate);
};

function mp3Layout(end: number, samples: number, sampleRate: number): ContainerLayout {
  return { end, durationSeconds: samples / sampleRate };
}

const ADTS_SAMPLE_RATES = [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350];

/** AAC in ADTS frames, each declaring its own length. */
export const walkAdts: ContainerWalker = (bytes) => {
  const reader = new Reader(bytes, 'AAC');
  let offset = afterId3(reader);
  let samples = 0;
  let sampleRate = 0;
  while (offset < reader.length && reader.u8(offset) === 0xff && (reader.u8(offset + 1) & 0xf6) === 0xf0) {
    const frameLength = ((reader.u8(offset + 3) & 0x03) << 11) | (reader.u8(offset + 4) << 3) | (reader.u8(offset + 5) >> 5);
    const rate = ADTS_SAMPLE_RATES[(reader.u8(offset + 2) >> 2) & 0x0f];
    if (frameLength < 7 || rate === undefined) throw reader.malformed(`bad frame header at byte ${offset}`);
    samples += 1024 * ((reader.u8(offset + 6) & 0x03) + 1);
    sampleRate = rate;
    offset += frameLength;
  }
  if (sampleRate === 0) throw reader.malformed('no ADTS frame');
  if (offset > reader.length) throw reader.malformed('the last frame is truncated');
  return { end: offset, durationSeconds: samples / sampleRate };
};

// Frame sizes after the one-byte header, per frame type; undefined marks the reserved types.
const AMR_NB_FRAME_BYTES = [12, 13, 15, 17, 19, 20, 26, 31, 5, 6, 5, 5, undefined, undefined, undefined, 0];
const AMR_WB_FRAME_BYTES = [17, 23, 32, 36, 40, 46, 50, 58, 60, 5, undefined, undefined, undefined, undefined, 0, 0];

/** AMR (narrow- and wideband) storage format: a magic line, then 20 ms frames sized by their type. */
export const walkAmr: ContainerWalker = (bytes) => {
  const reader = new Reader(bytes, 'AMR');
  const wideband = reader.ascii(0, 9) === '#!AMR-WB\n';
  if (!wideband && reader.ascii(0, 6) !== '#!AMR\n') throw reader.malformed('no AMR magic line');
  const sizes = wideband ? AMR_WB_FRAME_BYTES : AMR_NB_FRAME_BYTES;
  let offset = wideband ? 9 : 6;
  let frames = 0;
  while (offset < reader.length) {
    const size = sizes[(reader.u8(offset) >> 3) & 0x0f];
    if (size === undefined) break;
    offset += 1 + size;
    frames += 1;
  }
  if (offset > reader.length) throw reader.malformed('the last frame is truncated');
  return { end: offset, durationSeconds: frames * 0.02 };
};
