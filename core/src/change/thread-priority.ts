// Linux gives each thread a niceness of its own. A detection worker process runs the model on one thread and
// reads, decodes and vectorises on several others; with as many runnable threads as that on two cores the
// scheduler shares the cores out evenly and the model, the slowest stage, waits its turn. Lowering the
// others lets the model thread take a core whenever it has work, and the rest fill the time that is left.
import { readdirSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/** The niceness this process's threads had before any was lowered (read as this module loads, on the main thread). */
const startingNice = (() => {
  try {
    return getPriority();
  } catch {
    return 0;
  }
})();

/** The threads that run a model, kept at the starting niceness. */
const modelThreads = new Set<number>();

/**
 * Lets a model's thread take a core whenever it has work: every other thread of the process, other models' threads
 * aside, is set to at least `nice`, and threads they start later inherit that. A model thread started after that
 * (a second model version, a restarted thread) inherits the lowered niceness from its starter, so it is raised back
 * to where the process started; that needs the right to raise priority (root, CAP_SYS_NICE or RLIMIT_NICE), and
 * without it the call returns false and the thread stays lowered. Nothing happens where the system has no
 * per-thread niceness (/proc/self/task).
 */
export function favourModelThread(tid: number, nice: number): boolean {
  modelThreads.add(tid);
  let raised = true;
  try {
    if (getPriority(tid) > startingNice) setPriority(tid, startingNice);
  } catch {
    raised = false;
  }
  let tids: string[];
  try {
    tids = readdirSync('/proc/self/task');
  } catch {
    return raised;
  }
  for (const name of tids) {
    const other = Number(name);
    if (modelThreads.has(other)) continue;
    try {
      if (getPriority(other) < nice) setPriority(other, nice);
    } catch {
      // the thread ended meanwhile
    }
  }
  return raised;
}

/** A model thread that stopped: its id may be given to another thread. */
export function forgetModelThread(tid: number): void {
  modelThreads.delete(tid);
}
