import { describe, expect, it } from 'vitest';
import { UploadRejection, formatBytes, parseUploadMeta } from './metadata.js';

function rejection(raw: Record<string, string>): UploadRejection {
  try {
    parseUploadMeta(raw);
  } catch (e) {
    if (e instanceof UploadRejection) return e;
    throw e;
  }
  throw new Error('expected a rejection');
}

describe('upload metadata', () => {
  it('reads name, kind, sortie and capture time', () => {
    expect(parseUploadMeta({ filename: 'ortho.tif', kind: 'satellite', flightId: '12', capturedAt: '2025-03-10T09:30:00+08:00' }))
      .toEqual({ fileName: 'ortho.tif', kind: 'satellite', flightId: 12, capturedAt: '2025-03-10T01:30:00.000Z' });
    expect(parseUploadMeta({ filename: 'a.tif' })).toEqual({ fileName: 'a.tif', kind: 'drone', flightId: null, capturedAt: null });
  });

  it('names each problem', () => {
    expect(rejection({}).message).toMatch(/needs "filename"/);
    expect(rejection({ filename: '../etc/passwd' }).message).toMatch(/plain file name/);
    expect(rejection({ filename: 'a.tif', kind: 'video' }).message).toMatch(/kind "video" is not one of drone, satellite, tileset, photo/);
    expect(rejection({ filename: 'a.tif', flightId: 'x' }).message).toMatch(/flightId "x"/);
    expect(rejection({ filename: 'a.tif', capturedAt: '2025-03-10 09:30' }).message).toMatch(/ISO 8601 time with offset/);
    expect(rejection({ filename: 'a.tif', capturedAt: '2025-02-30T09:30:00Z' }).status_code).toBe(400);
    expect(JSON.parse(rejection({}).body)).toEqual({ error: { code: 'invalid', message: 'upload metadata needs "filename"' } });
  });

  it('formats sizes', () => {
    expect(formatBytes(20 * 1024 ** 3)).toBe('20 GB');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(10)).toBe('10 B');
  });
});
