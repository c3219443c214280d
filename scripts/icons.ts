// Draws the app's icons for the web app manifest and home screens from the mark in app/icon.svg:
// `npx tsx scripts/icons.ts` writes public/icons/*.png (committed; run again if the mark changes).
import path from "node:path";
import sharp from "sharp";

const mark = (
  size: number,
  pad: number,
  rounded: boolean,
) => `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 32 32">
<rect width="32" height="32" rx="${rounded ? 7 : 0}" fill="#3d55d6"/>
<g transform="translate(${16 - 16 * pad} ${16 - 16 * pad}) scale(${pad})"><path d="M10 8h3.2v6.6L19.3 8h3.9l-6.4 7 6.7 9h-4l-5-6.9-1.3 1.4V24H10z" fill="#fff"/></g></svg>`;
const out = path.resolve(import.meta.dirname, "..", "public", "icons");
for (const [name, size, pad, rounded] of [
  ["icon-192.png", 192, 1, true],
  ["icon-512.png", 512, 1, true],
  ["maskable-512.png", 512, 0.8, false],
  ["apple-touch-icon.png", 180, 0.9, false],
] as const) {
  await sharp(Buffer.from(mark(size, pad, rounded)))
    .png({ compressionLevel: 9, palette: true })
    .toFile(`${out}/${name}`);
}
