// Progress of one file on a terminal: bar, percentage, bytes, speed and time left.

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

export function formatBytes(n: number): string {
  let v = n;
  let i = 0;
  while (v >= 1024 && i < UNITS.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${UNITS[i]}`;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const mmss = `${String(m).padStart(h ? 2 : 1, '0')}:${String(s % 60).padStart(2, '0')}`;
  return h ? `${h}:${mmss}` : mmss;
}

/**
 * Speed over a sliding window of recent samples, so a resumed upload does not count the bytes that were
 * already on the server as sent in no time.
 */
export class SpeedMeter {
  private samples: { t: number; bytes: number }[] = [];
  constructor(private readonly windowMs = 5000) {}

  add(bytes: number, t = Date.now()): void {
    this.samples.push({ t, bytes });
    while (this.samples.length > 2 && t - this.samples[0]!.t > this.windowMs) this.samples.shift();
  }

  /** Bytes per second, or NaN before two samples. */
  get bytesPerSecond(): number {
    const first = this.samples[0];
    const last = this.samples.at(-1);
    if (!first || !last || last.t === first.t) return Number.NaN;
    return ((last.bytes - first.bytes) * 1000) / (last.t - first.t);
  }
}

export function progressLine(name: string, sent: number, total: number, bytesPerSecond: number, width = 24): string {
  const fraction = total > 0 ? Math.min(1, sent / total) : 1;
  const filled = Math.round(fraction * width);
  const bar = '#'.repeat(filled) + '-'.repeat(width - filled);
  const speed = Number.isFinite(bytesPerSecond) ? `${formatBytes(bytesPerSecond)}/s` : '-- B/s';
  const eta = bytesPerSecond > 0 ? formatDuration((total - sent) / bytesPerSecond) : '--:--';
  const pct = `${(fraction * 100).toFixed(0)}%`.padStart(4);
  return `[${bar}] ${pct} ${formatBytes(sent)}/${formatBytes(total)} ${speed} ETA ${eta} ${name}`;
}
