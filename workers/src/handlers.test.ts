import { describe, expect, it } from 'vitest';
import { JobName, QueueName } from '@tuban/core/jobs/queues';
import type { WorkerContext } from './context.js';
import { createHandlers, handlersFor } from './handlers.js';

// The factories only keep the context for later; nothing here runs a job.
const handlers = createHandlers({} as WorkerContext);

describe('handler map', () => {
  it('covers every job of the system queue', () => {
    expect([...handlersFor(QueueName.System, handlers).keys()]).toEqual(['health']);
  });

  it('covers the export queue', () => {
    expect([...handlersFor(QueueName.Export, handlers).keys()].sort()).toEqual(['monthly-index-export', 'monthly-index-scheduled', 'training-set-export']);
  });

  it('covers the ingest queue', () => {
    expect([...handlersFor(QueueName.Ingest, handlers).keys()]).toEqual(['ingest-imagery']);
  });

  it('refuses to start a queue whose job has no handler', () => {
    expect(() => handlersFor(QueueName.System, {})).toThrow(/no handler for job health of queue system/);
  });

  it('has exactly one handler per job name of the contract', () => {
    expect(Object.keys(handlers).sort()).toEqual(Object.values(JobName).sort());
  });

  it('covers every job of the detect queue', () => {
    expect([...handlersFor(QueueName.Detect, handlers).keys()].sort()).toEqual(['detect-batch', 'detect-run', 'plan-detection']);
  });
});
