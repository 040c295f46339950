// Linux gives each thread a niceness of its own. A detection worker process runs the model on one thread and
// reads, decodes and vectorises on several others; with as many runnable threads as that on two cores the
// scheduler shares the cores out evenly and the model, the slowest stage, waits its turn. Lowering the
// others lets the model thread take a core whenever it has work, and the rest fill the time that is left.
import { readdirSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/**
 * Sets every thread of this process but `keep` to at least `nice`; threads they start later inherit it.
 * Returns how many threads were lowered; 0 where the system has no per-thread niceness (/proc/self/task).
 */
export function lowerOtherThreads(keep: number, nice: number): number {
  let tids: string[];
  try {
    tids = readdirSync('/proc/self/task');
  } catch {
    return 0;
  }
  let lowered = 0;
  for (const name of tids) {
    const tid = Number(name);
    if (tid === keep) continue;
    try {
      if (getPriority(tid) >= nice) continue;
      setPriority(tid, nice);
      lowered++;
    } catch {
      // the thread ended meanwhile
    }
  }
  return lowered;
}
