import sharp from 'sharp';
import { crc32, deflateSync } from 'node:zlib';

/**
 * Small but well-formed files of every accepted format, built byte by byte where no encoder is at hand, plus the
 * pieces the polyglot tests glue onto them.
 */

export function solidImage(format: 'jpeg' | 'png' | 'webp' | 'gif', width = 64, height = 48): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 200, g: 80, b: 40 } } })
    .toFormat(format)
    .toBuffer();
}

/** A JPEG with a comment (COM) segment inserted right after the start-of-image marker. */
export function withJpegComment(jpeg: Buffer, comment: Buffer): Buffer {
  const length = Buffer.alloc(2);
  length.writeUInt16BE(comment.length + 2);
  return Buffer.concat([jpeg.subarray(0, 2), Buffer.from([0xff, 0xfe]), length, comment, jpeg.subarray(2)]);
}

/** A PNG with a tEXt chunk inserted before IEND. */
export function withPngText(png: Buffer, keyword: string, text: string): Buffer {
  const data = Buffer.from(`${keyword}\0${text}`, 'latin1');
  const chunk = Buffer.alloc(12 + data.length);
  chunk.writeUInt32BE(data.length, 0);
  chunk.write('tEXt', 4, 'latin1');
  data.copy(chunk, 8);
  chunk.writeUInt32BE(crc32(chunk.subarray(4, 8 + data.length)), 8 + data.length);
  return Buffer.concat([png.subarray(0, png.length - 12), chunk, png.subarray(png.length - 12)]);
}

/** A GIF with a comment extension (at most 255 bytes) inserted before the trailer. */
export function withGifComment(gif: Buffer, comment: Buffer): Buffer {
  if (comment.length > 255) throw new RangeError('one sub-block holds at most 255 bytes');
  return Buffer.concat([gif.subarray(0, gif.length - 1), Buffer.from([0x21, 0xfe, comment.length]), comment, Buffer.from([0x00, 0x3b])]);
}

/** A one-entry stored ZIP (what a JAR is); `commentLength` lets the end record claim bytes that follow it. */
export function zipArchive(name = 'META-INF/MANIFEST.MF', content = 'Manifest-Version: 1.0\n', commentLength = 0): Buffer {
  const nameBytes = Buffer.from(name);
  const data = Buffer.from(content);
  const checksum = crc32(data);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt32LE(checksum, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(nameBytes.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt32LE(checksum, 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(nameBytes.length, 28);
  const centralOffset = local.length + nameBytes.length + data.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + nameBytes.length, 12);
  end.writeUInt32LE(centralOffset, 16);
  end.writeUInt16LE(commentLength, 20);
  return Buffer.concat([local, nameBytes, data, central, nameBytes, end]);
}

// Ogg's CRC-32: polynomial 0x04C11DB7, not reflected, initial value 0.
const OGG_CRC_TABLE = Array.from({ length: 256 }, (_unused, index) => {
  let value = index << 24;
  for (let bit = 0; bit < 8; bit += 1) value = value & 0x80000000 ? (value << 1) ^ 0x04c11db7 : value << 1;
  return value >>> 0;
});

function oggPage(packets: readonly Buffer[], granule: bigint, sequence: number, headerType: number): Buffer {
  const lacing = packets.flatMap((packet) => [...new Array<number>(Math.floor(packet.length / 255)).fill(255), packet.length % 255]);
  const header = Buffer.alloc(27);
  header.write('OggS', 0, 'latin1');
  header.writeUInt8(headerType, 5);
  header.writeBigUInt64LE(granule, 6);
  header.writeUInt32LE(0x5eed, 14);
  header.writeUInt32LE(sequence, 18);
  header.writeUInt8(lacing.length, 26);
  const page = Buffer.concat([header, Buffer.from(lacing), ...packets]);
  let crc = 0;
  for (const byte of page) crc = ((crc << 8) ^ OGG_CRC_TABLE[((crc >>> 24) ^ byte) & 0xff]!) >>> 0;
  page.writeUInt32LE(crc, 22);
  return page;
}

/** An Ogg Opus voice note of `seconds` (20 ms packets of filler, as a WhatsApp voice note is framed). */
export function oggOpusVoiceNote(seconds: number): Buffer {
  const preSkip = 312;
  const head = Buffer.alloc(19);
  head.write('OpusHead', 0, 'latin1');
  head.writeUInt8(1, 8);
  head.writeUInt8(1, 9);
  head.writeUInt16LE(preSkip, 10);
  head.writeUInt32LE(48_000, 12);
  const vendor = Buffer.from('wasaprecruit-test');
  const tags = Buffer.concat([Buffer.from('OpusTags'), Buffer.from(new Uint32Array([vendor.length]).buffer), vendor, Buffer.alloc(4)]);
  const pages = [oggPage([head], 0n, 0, 0x02), oggPage([tags], 0n, 1, 0)];
  const packetCount = Math.round(seconds * 50);
  for (let first = 0, sequence = 2; first < packetCount; first += 50, sequence += 1) {
    const count = Math.min(50, packetCount - first);
    const packets = Array.from({ length: count }, () => Buffer.alloc(40, 0x78));
    const granule = BigInt(preSkip + (first + count) * 960);
    pages.push(oggPage(packets, granule, sequence, first + count === packetCount ? 0x04 : 0));
  }
  return Buffer.concat(pages);
}

/** An MP3 of MPEG-1 layer III frames (128 kbit/s, 44.1 kHz) behind an ID3v2 tag holding `id3Text`. */
export function mp3(frames: number, id3Text = 'wasaprecruit'): Buffer {
  const text = Buffer.concat([Buffer.from([0x03]), Buffer.from(id3Text, 'latin1')]);
  const frame = Buffer.alloc(10);
  frame.write('TIT2', 0, 'latin1');
  frame.writeUInt32BE(text.length, 4);
  const tagBody = Buffer.concat([frame, text]);
  const tagHeader = Buffer.from([0x49, 0x44, 0x33, 3, 0, 0, ...[21, 14, 7, 0].map((shift) => (tagBody.length >> shift) & 0x7f)]);
  const audioFrame = Buffer.alloc(417);
  audioFrame.writeUInt32BE(0xfffb9000, 0);
  return Buffer.concat([tagHeader, tagBody, ...new Array<Buffer>(frames).fill(audioFrame)]);
}

/** AAC-LC in ADTS frames at 44.1 kHz. */
export function adtsAac(frames: number): Buffer {
  const frameLength = 7 + 20;
  const header = Buffer.from([0xff, 0xf1, (1 << 6) | (4 << 2), (2 << 6) | (frameLength >> 11), (frameLength >> 3) & 0xff, ((frameLength & 7) << 5) | 0x1f, 0xfc]);
  return Buffer.concat(new Array<Buffer>(frames).fill(Buffer.concat([header, Buffer.alloc(20, 0x21)])));
}

/** AMR narrowband, 12.2 kbit/s frames of 20 ms. */
export function amr(frames: number): Buffer {
  return Buffer.concat([Buffer.from('#!AMR\n'), ...new Array<Buffer>(frames).fill(Buffer.concat([Buffer.from([0x3c]), Buffer.alloc(31, 0x11)]))]);
}

function box(type: string, ...contents: Buffer[]): Buffer {
  const body = Buffer.concat(contents);
  const header = Buffer.alloc(8);
  header.writeUInt32BE(8 + body.length);
  header.write(type, 4, 'latin1');
  return Buffer.concat([header, body]);
}

/** An ISO base media file (`isom` video or `M4A ` audio) of `seconds`, with `extraBoxes` after the movie header. */
export function isoMedia(brand: 'isom' | 'M4A ', seconds: number, extraBoxes: Buffer[] = []): Buffer {
  const ftyp = box('ftyp', Buffer.from(brand, 'latin1'), Buffer.from([0, 0, 2, 0]), Buffer.from(`${brand}mp41`, 'latin1'));
  const mvhd = Buffer.alloc(100);
  mvhd.writeUInt32BE(1000, 12);
  mvhd.writeUInt32BE(Math.round(seconds * 1000), 16);
  mvhd.writeUInt32BE(0x00010000, 20);
  mvhd.writeUInt16BE(0x0100, 24);
  mvhd.writeUInt32BE(2, 96);
  return Buffer.concat([ftyp, box('moov', box('mvhd', mvhd)), ...extraBoxes, box('mdat', Buffer.alloc(256, 0x42))]);
}

export function isoBox(type: string, content: Buffer): Buffer {
  return box(type, content);
}

/** A one-page PDF; `catalogExtras` goes into the catalog, `extraObjects` are numbered from 4 on. */
export function pdf({ catalogExtras = '', extraObjects = [] as Array<string | Buffer> } = {}): Buffer {
  const objects: Array<string | Buffer> = [
    `<< /Type /Catalog /Pages 2 0 R ${catalogExtras}>>`,
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>',
    ...extraObjects,
  ];
  const parts: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  const offsets: number[] = [];
  let length = parts[0]!.length;
  objects.forEach((object, index) => {
    offsets.push(length);
    const part = Buffer.concat([Buffer.from(`${index + 1} 0 obj\n`), Buffer.from(object as string | Buffer), Buffer.from('\nendobj\n')]);
    parts.push(part);
    length += part.length;
  });
  const xref = [`xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`, ...offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`)].join('');
  parts.push(Buffer.from(`${xref}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${length}\n%%EOF\n`));
  return Buffer.concat(parts);
}

/** A PDF object stream holding `objects` (numbered from `firstNumber`), deflated unless `filter` says otherwise. */
export function pdfObjectStream(firstNumber: number, objects: string[], filter: 'FlateDecode' | 'ASCIIHexDecode' = 'FlateDecode'): Buffer {
  const bodies: string[] = [];
  const index: string[] = [];
  let offset = 0;
  objects.forEach((object, position) => {
    index.push(`${firstNumber + position} ${offset}`);
    bodies.push(object);
    offset += object.length + 1;
  });
  const header = `${index.join(' ')} `;
  const plain = Buffer.from(header + bodies.join(' '), 'latin1');
  const data = filter === 'FlateDecode' ? deflateSync(plain) : Buffer.from(`${plain.toString('hex')}>`);
  return Buffer.concat([
    Buffer.from(`<< /Type /ObjStm /N ${objects.length} /First ${header.length} /Length ${data.length} /Filter /${filter} >>\nstream\n`),
    data,
    Buffer.from('\nendstream'),
  ]);
}

/** A JPEG that carries GPS coordinates and an EXIF orientation, like a phone photo. */
export async function phonePhotoWithGps(orientation: number): Promise<Buffer> {
  // Left half red, right half blue, so a test can tell which way the output is turned.
  const left = await sharp({ create: { width: 100, height: 100, channels: 3, background: { r: 255, g: 0, b: 0 } } }).png().toBuffer();
  return sharp({ create: { width: 200, height: 100, channels: 3, background: { r: 0, g: 0, b: 255 } } })
    .composite([{ input: left, left: 0, top: 0 }])
    .withExif({
      IFD0: { Make: 'PhoneMaker', Model: 'Phone 12' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '19/1 4/1 1234/100', GPSLongitudeRef: 'W', GPSLongitude: '98/1 12/1 3456/100' },
    })
    .withMetadata({ orientation })
    .withXmp('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/></x:xmpmeta>')
    .withIccProfile('p3')
    .jpeg()
    .toBuffer();
}

/** A PNG whose header claims `width` x `height` pixels over a few bytes of data: a decompression bomb's shape. */
export function pngClaimingDimensions(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const bytes = Buffer.alloc(12 + data.length);
    bytes.writeUInt32BE(data.length, 0);
    bytes.write(type, 4, 'latin1');
    data.copy(bytes, 8);
    bytes.writeUInt32BE(crc32(bytes.subarray(4, 8 + data.length)), 8 + data.length);
    return bytes;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.writeUInt8(8, 8); // bit depth
  header.writeUInt8(2, 9); // truecolour
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.alloc(1024))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The tag numbers in an EXIF block's first IFD (as sharp's metadata().exif returns it, "Exif\0\0" first). */
export function exifIfd0Tags(exif: Buffer): number[] {
  const tiff = exif.subarray(6);
  const littleEndian = tiff.toString('latin1', 0, 2) === 'II';
  const u16 = (offset: number) => (littleEndian ? tiff.readUInt16LE(offset) : tiff.readUInt16BE(offset));
  const u32 = (offset: number) => (littleEndian ? tiff.readUInt32LE(offset) : tiff.readUInt32BE(offset));
  const ifd = u32(4);
  return Array.from({ length: u16(ifd) }, (_unused, index) => u16(ifd + 2 + index * 12));
}

export const EXIF_GPS_IFD_TAG = 0x8825;
