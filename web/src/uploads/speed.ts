/**
 * Upload speed over a sliding window of recent progress samples: a resumed upload must not count the bytes
 * already on the server as sent in no time, and a stall should show quickly.
 */
export class SpeedMeter {
  private samples: { t: number; bytes: number }[] = [];
  constructor(private readonly windowMs = 5000) {}

  add(bytes: number, t = Date.now()): void {
    this.samples.push({ t, bytes });
    while (this.samples.length > 2 && t - this.samples[0]!.t > this.windowMs) this.samples.shift();
  }

  reset(): void {
    this.samples = [];
  }

  /** Bytes per second, or NaN before two samples. */
  get bytesPerSecond(): number {
    const first = this.samples[0];
    const last = this.samples.at(-1);
    if (!first || !last || last.t === first.t) return Number.NaN;
    return ((last.bytes - first.bytes) * 1000) / (last.t - first.t);
  }
}

/** Seconds left at the current speed; NaN when unknown. */
export function secondsLeft(sent: number, total: number, bytesPerSecond: number): number {
  return bytesPerSecond > 0 ? (total - sent) / bytesPerSecond : Number.NaN;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const mmss = `${String(m).padStart(h ? 2 : 1, '0')}:${String(s % 60).padStart(2, '0')}`;
  return h ? `${h}:${mmss}` : mmss;
}

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

export function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return '--';
  let v = n;
  let i = 0;
  while (v >= 1024 && i < UNITS.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? Math.round(v) : v.toFixed(1)} ${UNITS[i]}`;
}
