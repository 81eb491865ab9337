/**
 * Tray, overlay and app icons drawn in code as PNG, so the app ships no image files for them and
 * the tray can show its state in colour. Pure: pixels in, PNG bytes out.
 */
import { crc32, deflateSync } from 'node:zlib';
import type { TrayIconState } from './tray-model';

/** An RGB colour. */
export type Rgb = readonly [number, number, number];

/** The tray colour of each state. */
export const STATE_COLORS = {
  'in-sync': [46, 160, 67],
  syncing: [33, 118, 210],
  offline: [128, 128, 128],
  error: [211, 47, 47],
} as const satisfies Record<TrayIconState, Rgb>;

/** One layer of a drawing: a disk of `radius` (fraction of the size) centred in the image. */
export type Disk = { readonly radius: number; readonly color: Rgb };

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/** Encodes straight (not premultiplied) RGBA pixels as a PNG. */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  if (rgba.length !== width * height * 4) throw new Error('pixel buffer size mismatch');
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0; // filter: none
    Buffer.from(rgba.buffer, rgba.byteOffset + y * width * 4, width * 4).copy(
      raw,
      y * (width * 4 + 1) + 1,
    );
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Draws concentric disks (later ones on top), antialiased by 4x4 supersampling. */
export function drawDisks(size: number, disks: readonly Disk[]): Uint8Array {
  const px = new Uint8Array(size * size * 4);
  const c = size / 2;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < 4; sy++) {
        for (let sx = 0; sx < 4; sx++) {
          const dx = x + (sx + 0.5) / 4 - c;
          const dy = y + (sy + 0.5) / 4 - c;
          const d = Math.sqrt(dx * dx + dy * dy) / size;
          let hit: Rgb | undefined;
          for (const disk of disks) if (d <= disk.radius) hit = disk.color;
          if (hit) {
            r += hit[0];
            g += hit[1];
            b += hit[2];
            a++;
          }
        }
      }
      const i = (y * size + x) * 4;
      if (a > 0) {
        px[i] = Math.round(r / a);
        px[i + 1] = Math.round(g / a);
        px[i + 2] = Math.round(b / a);
        px[i + 3] = Math.round((a / 16) * 255);
      }
    }
  }
  return px;
}

/** The tray icon for a state at `size` pixels: a coloured disk with a light centre. */
export function trayIconPng(state: TrayIconState, size: number): Buffer {
  const color = STATE_COLORS[state];
  const centre: Rgb = state === 'offline' ? [220, 220, 220] : [255, 255, 255];
  return encodePng(
    size,
    size,
    drawDisks(size, [
      { radius: 0.47, color },
      { radius: 0.18, color: centre },
    ]),
  );
}

/** The Windows taskbar overlay shown when the badge is not zero: a red dot. */
export function overlayIconPng(size: number): Buffer {
  return encodePng(size, size, drawDisks(size, [{ radius: 0.47, color: [211, 47, 47] }]));
}

/** The application icon (electron-builder converts it for each platform). */
export function appIconPng(size: number): Buffer {
  return encodePng(
    size,
    size,
    drawDisks(size, [
      { radius: 0.48, color: [18, 32, 47] },
      { radius: 0.36, color: [33, 118, 210] },
      { radius: 0.24, color: [18, 32, 47] },
      { radius: 0.12, color: [46, 160, 67] },
    ]),
  );
}
