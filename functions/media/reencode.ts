import sharp from 'sharp';
import { PermanentMediaError } from './errors.ts';

export interface ReencodeOptions {
  /** Refuse images with more pixels than this before decoding them (decompression bombs). */
  readonly maxInputPixels?: number;
  /** The longest side of the stored image; larger images are scaled down. */
  readonly maxDimension?: number;
  /** The longest side of the thumbnail. */
  readonly thumbnailDimension?: number;
}

export interface ReencodedImage {
  readonly contentType: 'image/jpeg';
  readonly image: Buffer;
  readonly width: number;
  readonly height: number;
  readonly thumbnail: Buffer;
}

const DEFAULTS = { maxInputPixels: 40_000_000, maxDimension: 2048, thumbnailDimension: 320 } as const;

/**
 * Decodes an image and writes it again as a fresh JPEG plus a thumbnail: turned upright by its EXIF orientation,
 * converted to sRGB, with every piece of metadata (EXIF, GPS, XMP, IPTC, ICC) left behind, and only the first
 * frame of an animation. Whatever rode along in the original's bytes does not survive. Throws
 * `PermanentMediaError` for images too large in pixels or that cannot be decoded.
 */
export async function reencodeImage(bytes: Uint8Array, options: ReencodeOptions = {}): Promise<ReencodedImage> {
  const { maxInputPixels, maxDimension, thumbnailDimension } = { ...DEFAULTS, ...options };
  // sharp writes no metadata unless asked (no withMetadata/keep* here) and converts to sRGB on output.
  const upright = sharp(bytes, { limitInputPixels: maxInputPixels, animated: false })
    .autoOrient()
    .flatten({ background: '#ffffff' });
  try {
    const [image, thumbnail] = await Promise.all([
      upright
        .clone()
        .resize({ width: maxDimension, height: maxDimension, fit: 'inside', withoutEnlargement: true })
        .jpeg({ quality: 85 })
        .toBuffer({ resolveWithObject: true }),
      upright
        .clone()
        .resize({ width: thumbnailDimension, height: thumbnailDimension, fit: 'inside', withoutEnlargement: true })
        .jpeg({ quality: 75 })
        .toBuffer(),
    ]);
    return { contentType: 'image/jpeg', image: image.data, width: image.info.width, height: image.info.height, thumbnail };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/pixel limit/i.test(message)) {
      throw new PermanentMediaError(`the image has more than ${maxInputPixels} pixels`, { cause: error });
    }
    throw new PermanentMediaError(`the image cannot be decoded (${message})`, { cause: error });
  }
}
