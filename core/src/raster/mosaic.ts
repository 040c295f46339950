import sharp, { type OverlayOptions } from 'sharp';
import { TILE_SIZE } from '../geo/tiles.js';

export type EncodedTileSource = (z: number, x: number, y: number) => Promise<Buffer | null>;

export interface PixelWindow {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * A window given in global pixel coordinates at zoom z, composed from a tile pyramid as lossless RGBA PNG.
 * Missing tiles stay transparent; null when there is no tile at all.
 */
async function composeWindow(source: EncodedTileSource, z: number, window: PixelWindow): Promise<Buffer | null> {
  const x0 = Math.floor(window.left / TILE_SIZE);
  const y0 = Math.floor(window.top / TILE_SIZE);
  const x1 = Math.floor((window.left + window.width - 1) / TILE_SIZE);
  const y1 = Math.floor((window.top + window.height - 1) / TILE_SIZE);
  const layers: OverlayOptions[] = [];
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const tile = await source(z, x, y);
      if (tile) layers.push({ input: tile, left: (x - x0) * TILE_SIZE, top: (y - y0) * TILE_SIZE });
    }
  }
  if (layers.length === 0) return null;
  const canvas = await sharp({
    create: {
      width: (x1 - x0 + 1) * TILE_SIZE,
      height: (y1 - y0 + 1) * TILE_SIZE,
      channels: 4,
      background: { r: 0, g: 0, b: 0, alpha: 0 },
    },
  })
    .composite(layers)
    .png()
    .toBuffer();
  return sharp(canvas)
    .extract({ left: window.left - x0 * TILE_SIZE, top: window.top - y0 * TILE_SIZE, width: window.width, height: window.height })
    .png()
    .toBuffer();
}

/** A window of a tile pyramid as WebP (the triage chips); null when there is no tile at all. */
export async function cutWindow(source: EncodedTileSource, z: number, window: PixelWindow): Promise<Buffer | null> {
  const png = await composeWindow(source, z, window);
  return png && sharp(png).webp({ quality: 85 }).toBuffer();
}

/**
 * A window of a tile pyramid as 8-bit RGB PNG, the pixels exactly as the detection worker decodes them (what a
 * training chip must hold); missing parts are black; null when there is no tile at all.
 */
export async function cutWindowRgbPng(source: EncodedTileSource, z: number, window: PixelWindow): Promise<Buffer | null> {
  const png = await composeWindow(source, z, window);
  return png && sharp(png).flatten({ background: '#000000' }).removeAlpha().png({ compressionLevel: 9 }).toBuffer();
}
