import { fromArrayBuffer } from 'geotiff';
import { describe, expect, it } from 'vitest';
import { DEMO_CENTRE, renderDemoScene } from '../../data/src/demo-imagery.js';

describe('demo imagery', () => {
  it('renders the same georeferenced pair and truth for the same seed, the before image reaching past the after', async () => {
    const a = await renderDemoScene({ size: 128, seed: 4, changes: 2 });
    const b = await renderDemoScene({ size: 128, seed: 4, changes: 2 });
    expect(Buffer.compare(a.before, b.before)).toBe(0);
    expect(Buffer.compare(a.after, b.after)).toBe(0);
    expect(a.truth).toEqual(b.truth);

    const read = async (buf: Buffer) => (await fromArrayBuffer(Uint8Array.from(buf).buffer)).getImage();
    const [before, after] = [await read(a.before), await read(a.after)];
    expect(after.getWidth()).toBe(128);
    expect(before.getWidth()).toBe(128 + 2 * 320);
    expect(after.getGeoKeys()?.ProjectedCSTypeGeoKey).toBe(32651);
    expect(String(await after.getFileDirectory().loadValue('DateTime')).replace(/\0+$/, '')).toBe('2026:04:14 10:40:00');
    expect(after.getResolution()[0]).toBe(0.5);
    expect(before.getOrigin()[0]).toBe(after.getOrigin()[0]! - 160);
    for (const f of a.truth.features) {
      const [lon, lat] = f.geometry.coordinates[0]![0]!;
      expect(Math.abs(lon! - DEMO_CENTRE[0])).toBeLessThan(0.001);
      expect(Math.abs(lat! - DEMO_CENTRE[1])).toBeLessThan(0.001);
      expect(f.properties.areaM2).toBeGreaterThan(0);
    }
  });

  it('says which planted footprints cross a z18 tile border', async () => {
    const scene = await renderDemoScene({ size: 512, seed: 1, nuisance: false });
    expect(scene.truth.features.length).toBeGreaterThan(0);
    expect(scene.truth.features.some((f) => f.properties.straddlesTileBorder)).toBe(true);
  });
});
