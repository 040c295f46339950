"""python -m tuban_trainer: takes `train` jobs from the BullMQ queue `train` (prefix QUEUE_PREFIX) until stopped.

Environment as for the server and workers: REDIS_URL, DATABASE_URL, DATA_DIR, QUEUE_PREFIX; TRAIN_THREADS
(torch threads, default 1), TRAIN_LOCK_MS and TRAIN_STALLED_MS (how soon a killed trainer's job is taken again),
TRAIN_SYNTHETIC_DIR (the synthetic test set, default models/change-detection/data/test).
"""

import asyncio
import signal
import sys

import torch
from bullmq import Worker
from bullmq.custom_errors import UnrecoverableError

from . import paths
from .job import BadJob, run

QUEUE = "train"


async def process(job, _token):
    loop = asyncio.get_running_loop()

    def progress(percent: int) -> None:
        # training runs in a thread so that the event loop keeps the job's lock renewed
        asyncio.run_coroutine_threadsafe(job.updateProgress(percent), loop)

    print(f"trainer: job {job.id} (attempt {job.attemptsMade + 1}) {job.data}", file=sys.stderr, flush=True)
    try:
        return await asyncio.to_thread(run, job.data, str(job.id), progress)
    except BadJob as err:
        print(f"trainer: job {job.id} refused: {err}", file=sys.stderr, flush=True)
        raise UnrecoverableError(str(err)) from err
    except Exception as err:
        print(f"trainer: job {job.id} failed: {err!r}", file=sys.stderr, flush=True)
        raise


async def main() -> None:
    torch.set_num_threads(int(paths.env("TRAIN_THREADS", "1")))
    worker = Worker(
        QUEUE,
        process,
        {
            "connection": paths.redis_url(),
            "prefix": paths.env("QUEUE_PREFIX", "tuban"),
            "concurrency": 1,
            "lockDuration": int(paths.env("TRAIN_LOCK_MS", "60000")),
            "stalledInterval": int(paths.env("TRAIN_STALLED_MS", "30000")),
            "maxStalledCount": 2,
        },
    )
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(sig, stop.set)
    print(f"trainer: serving queue {QUEUE} (prefix {worker.prefix})", file=sys.stderr, flush=True)
    await stop.wait()
    await worker.close()


if __name__ == "__main__":
    asyncio.run(main())
