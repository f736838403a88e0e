import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { PermanentMediaError } from './errors.ts';
import { reencodeImage } from './reencode.ts';
import { EXIF_GPS_IFD_TAG, exifIfd0Tags, phonePhotoWithGps, pngClaimingDimensions, solidImage } from './testing/samples.ts';

async function pixel(image: Buffer, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(image).raw().toBuffer({ resolveWithObject: true });
  const offset = (y * info.width + x) * info.channels;
  return [...data.subarray(offset, offset + 3)];
}

describe('reencodeImage', () => {
  it('strips GPS and all other metadata from a phone photo and turns it upright', async () => {
    const photo = await phonePhotoWithGps(6); // stored sideways: "rotate 90° clockwise to display"
    const original = await sharp(photo).metadata();
    expect(exifIfd0Tags(original.exif!)).toContain(EXIF_GPS_IFD_TAG);
    expect(original).toMatchObject({ width: 200, height: 100, orientation: 6 });
    expect(original.icc).toBeDefined();
    expect(original.xmp).toBeDefined();

    const result = await reencodeImage(photo);

    for (const output of [result.image, result.thumbnail]) {
      const metadata = await sharp(output).metadata();
      expect(metadata.format).toBe('jpeg');
      expect(metadata.exif).toBeUndefined();
      expect(metadata.icc).toBeUndefined();
      expect(metadata.xmp).toBeUndefined();
      expect(metadata.iptc).toBeUndefined();
      expect(metadata.orientation).toBeUndefined();
      expect(output.includes('Exif\0\0')).toBe(false);
      expect(output.includes('PhoneMaker')).toBe(false);
    }
    // Upright: the stored left (red) half is now on top.
    expect({ width: result.width, height: result.height }).toEqual({ width: 100, height: 200 });
    const [topRed, , topBlue] = await pixel(result.image, 50, 40);
    const [bottomRed, , bottomBlue] = await pixel(result.image, 50, 160);
    expect(topRed).toBeGreaterThan(200);
    expect(topBlue).toBeLessThan(60);
    expect(bottomBlue).toBeGreaterThan(200);
    expect(bottomRed).toBeLessThan(60);
  });

  it('scales large images down and makes a thumbnail within 320 pixels', async () => {
    const result = await reencodeImage(await solidImage('png', 3000, 1500));
    expect({ width: result.width, height: result.height }).toEqual({ width: 2048, height: 1024 });
    const thumbnail = await sharp(result.thumbnail).metadata();
    expect({ width: thumbnail.width, height: thumbnail.height }).toEqual({ width: 320, height: 160 });
  });

  it('refuses a decompression bomb before decoding it', async () => {
    const bomb = pngClaimingDimensions(60_000, 60_000);
    await expect(reencodeImage(bomb)).rejects.toThrow(new PermanentMediaError('the image has more than 40000000 pixels'));
  });

  it('refuses bytes that do not decode as an image', async () => {
    const jpeg = await solidImage('jpeg');
    const damaged = Buffer.concat([jpeg.subarray(0, 200), Buffer.alloc(200, 0x55)]);
    await expect(reencodeImage(damaged)).rejects.toThrow(/the image cannot be decoded/);
  });
});
