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

export interface Thumbnail {
  data: Buffer;
  width: number;
  height: number;
}

/** A WebP at most 320 x 320 of the picture in `file`, or null when it is not a picture we read. */
export async function makeThumbnail(file: string): Promise<Thumbnail | null> {
  try {
    const { data, info } = await sharp(file, { limitInputPixels: 50_000_000, failOn: "error" })
      .autoOrient()
      .resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: "inside", withoutEnlargement: true })
      .webp({ quality: 80 })
      .toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height };
  } catch {
    return null;
  }
}
