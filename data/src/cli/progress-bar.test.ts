import { describe, expect, it } from 'vitest';
import { SpeedMeter, formatBytes, formatDuration, progressLine } from './progress-bar.js';

describe('progress bar', () => {
  it('formats sizes and durations', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(3 * 1024 ** 3)).toBe('3.0 GB');
    expect(formatDuration(65)).toBe('1:05');
    expect(formatDuration(3725)).toBe('1:02:05');
    expect(formatDuration(Number.NaN)).toBe('--:--');
  });

  it('measures speed over recent samples only', () => {
    const m = new SpeedMeter(5000);
    expect(m.bytesPerSecond).toBeNaN();
    m.add(1_000_000, 0);
    m.add(2_000_000, 1000);
    expect(m.bytesPerSecond).toBe(1_000_000);
    m.add(2_500_000, 10_000);
    m.add(3_000_000, 11_000);
    expect(m.bytesPerSecond).toBe(500_000);
  });

  it('draws bar, percentage, speed and time left', () => {
    expect(progressLine('a.tif', 512 * 1024, 1024 * 1024, 256 * 1024, 10)).toBe(
      '[#####-----]  50% 512.0 KB/1.0 MB 256.0 KB/s ETA 0:02 a.tif',
    );
    expect(progressLine('b.tif', 0, 100, Number.NaN, 4)).toBe('[----]   0% 0 B/100 B -- B/s ETA --:-- b.tif');
  });
});
