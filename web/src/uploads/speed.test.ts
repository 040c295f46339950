import { describe, expect, it } from 'vitest';
import { SpeedMeter, formatBytes, formatDuration, secondsLeft } from './speed';

describe('upload speed and time left', () => {
  it('uses recent samples only, so a resumed upload is not credited with bytes sent earlier', () => {
    const m = new SpeedMeter(5000);
    m.add(800_000_000, 0); // the offset the server already had
    m.add(801_000_000, 1000);
    expect(m.bytesPerSecond).toBe(1_000_000);
    m.add(802_000_000, 20_000);
    m.add(802_500_000, 21_000);
    expect(m.bytesPerSecond).toBe(500_000);
  });

  it('estimates time left and formats it', () => {
    expect(secondsLeft(0, 10_000_000, 1_000_000)).toBe(10);
    expect(secondsLeft(0, 1, 0)).toBeNaN();
    expect(formatDuration(75)).toBe('1:15');
    expect(formatDuration(3600 * 2 + 5)).toBe('2:00:05');
    expect(formatBytes(5 * 1024 ** 3)).toBe('5.0 GB');
  });
});
