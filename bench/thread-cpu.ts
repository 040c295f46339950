// CPU time per thread of this process, and of other processes by name, from /proc (Linux): where the time of
// a benchmark goes when several threads and the database share the cores.
import { readdirSync, readFileSync } from 'node:fs';

interface Stat {
  name: string;
  ms: number;
}

function readStat(path: string): Stat | null {
  try {
    const s = readFileSync(path, 'utf8');
    const fields = s.slice(s.lastIndexOf(')') + 2).split(' ');
    // utime and stime, in clock ticks of 10 ms
    return { name: s.slice(s.indexOf('(') + 1, s.lastIndexOf(')')), ms: (Number(fields[11]) + Number(fields[12])) * 10 };
  } catch {
    return null;
  }
}

/** CPU milliseconds so far of each thread of a process (default this one), by thread id. */
export function threadCpu(pid: number | 'self' = 'self'): Map<number, Stat> {
  const out = new Map<number, Stat>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    const stat = readStat(`/proc/${pid}/task/${tid}/stat`);
    if (stat) out.set(Number(tid), stat);
  }
  return out;
}

/** CPU milliseconds so far of all processes whose name starts with one of `prefixes` (e.g. postgres). */
export function processCpu(prefixes: string[]): number {
  let ms = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const stat = readStat(`/proc/${pid}/stat`);
    if (stat && prefixes.some((p) => stat.name.startsWith(p))) ms += stat.ms;
  }
  return ms;
}

/**
 * CPU per unit of work between two snapshots of a process (`pid`, default this one), by kind of thread: its main thread, the busiest
 * other thread (in the detection benchmark: the model's inference thread), libvips' workers, and the rest
 * (libuv's pool, which runs sharp and file reads, and V8's helpers).
 */
export function cpuByKind(before: Map<number, Stat>, after: Map<number, Stat>, units: number, pid = process.pid): Record<string, number> {
  const used = [...after].map(([tid, s]) => ({ tid, name: s.name, ms: s.ms - (before.get(tid)?.ms ?? 0) }));
  const others = used.filter((t) => t.tid !== pid && t.name !== 'libvips worker');
  const busiest = others.reduce((a, b) => (b.ms > a.ms ? b : a), { tid: -1, name: '', ms: 0 });
  const sum = (ts: typeof used) => ts.reduce((a, t) => a + t.ms, 0) / units;
  return {
    main: sum(used.filter((t) => t.tid === pid)),
    busiest: sum([busiest]),
    libvips: sum(used.filter((t) => t.name === 'libvips worker')),
    rest: sum(others.filter((t) => t !== busiest)),
  };
}
