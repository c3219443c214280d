// Thumbnails of shared pictures. A thumbnail is decoded and re-encoded by libvips, so what the
// browser shows inline is always a plain WebP made here, never the uploaded bytes. Only the PNG,
// JPEG, GIF and WebP decoders can run: SVG (which can carry script and fetch files), PDF, TIFF
// and the rest are blocked process-wide.
import sharp from "sharp";

export const THUMBNAIL_SIZE = 320;

const ALLOWED_LOADERS = ["Png", "Jpeg", "Gif", "Webp"].flatMap((f) => [`VipsForeignLoad${f}File`, `VipsForeignLoad${f}Buffer`]);
sharp.block({ operation: ["VipsForeignLoad"] });
sharp.unblock({ operation: ALLOWED_LOADERS });
// one libvips thread per thumbnail: a large picture must not take both cores from the chat
sharp.concurrency(1);
sharp.cache(false);

/**
 * The largest picture a thumbnail is made of, in pixels (a 6000 x 6000 square, a 40 MP photo).
 * Decoding a PNG takes its full size in memory (3-4 bytes a pixel): larger ones are shared
 * without a thumbnail.
 */
export const MAX_THUMBNAIL_SOURCE_PIXELS = 40_000_000;

/**
 * Thumbnails are made one at a time, in the order uploads finish: a dozen large pictures at once
 * queue here instead of taking the memory and the cores that sign-ins and messages need.
 */
class OneAtATime {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(work: () => Promise<T>): Promise<T> {
    const next = this.tail.then(work);
    this.tail = next.catch(() => undefined);
    return next;
  }
}

const queue = new OneAtATime();

/** How many thumbnails are being made right now, and the most ever at once (tests check it stays 1). */
export const thumbnailStats = { running: 0, peak: 0 };

export interface Thumbnail {
  data: Buffer;
  width: number;
  height: number;
}

/** A WebP at most 320 x 320 of the picture in `file`, or null when it is not a picture we read. */
export function makeThumbnail(file: string): Promise<Thumbnail | null> {
  return queue.run(() => thumbnailOf(file));
}

async function thumbnailOf(file: string): Promise<Thumbnail | null> {
  thumbnailStats.running += 1;
  thumbnailStats.peak = Math.max(thumbnailStats.peak, thumbnailStats.running);
  try {
    const { data, info } = await sharp(file, { limitInputPixels: MAX_THUMBNAIL_SOURCE_PIXELS, failOn: "error" })
      .autoOrient()
      .resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: "inside", withoutEnlargement: true })
      .webp({ quality: 80 })
      .toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height };
  } catch {
    return null;
  } finally {
    thumbnailStats.running -= 1;
  }
}

/** An avatar's side, in pixels: sharp at twice the largest size it is shown at. */
export const AVATAR_SIZE = 256;

/** A square WebP of the picture in `file` (its middle, cropped to fill), or null when it is not a picture we read. */
export function makeAvatar(file: string): Promise<Buffer | null> {
  return queue.run(async () => {
    try {
      return await sharp(file, { limitInputPixels: MAX_THUMBNAIL_SOURCE_PIXELS, failOn: "error" })
        .autoOrient()
        .resize(AVATAR_SIZE, AVATAR_SIZE, { fit: "cover" })
        .webp({ quality: 82 })
        .toBuffer();
    } catch {
      return null;
    }
  });
}

/** The longest side of the picture the viewer shows: sharp on a large screen, a fraction of a photo's bytes. */
export const PREVIEW_SIZE = 2048;

/**
 * The picture the viewer shows: a WebP at most 2048 x 2048, decoded and re-encoded like a
 * thumbnail (so the browser never renders uploaded bytes inline), animated when the original
 * is (a GIF or a WebP whose frames fit the pixel limit), else its first frame. Null when the
 * picture cannot be read. One at a time, with the thumbnails.
 */
export function makePreview(file: Buffer): Promise<Buffer | null> {
  return queue.run(async () => {
    thumbnailStats.running += 1;
    thumbnailStats.peak = Math.max(thumbnailStats.peak, thumbnailStats.running);
    try {
      for (const animated of [true, false]) {
        try {
          return await sharp(file, { limitInputPixels: MAX_THUMBNAIL_SOURCE_PIXELS, failOn: "error", animated })
            .autoOrient()
            .resize(PREVIEW_SIZE, PREVIEW_SIZE, { fit: "inside", withoutEnlargement: true })
            .webp({ quality: 82 })
            .toBuffer();
        } catch {
          // too many frames for the limit: the first one alone
        }
      }
      return null;
    } finally {
      thumbnailStats.running -= 1;
    }
  });
}
