import { describe, expect, it } from 'vitest';
import { JobName, QueueName } from '@tuban/core/queue';
import { handlers, handlersFor } from './handlers.js';

describe('handler map', () => {
  it('covers every job of the system queue', () => {
    expect([...handlersFor(QueueName.System).keys()]).toEqual(['health']);
  });

  it('refuses to start a queue whose job has no handler', () => {
    expect(() => handlersFor(QueueName.System, {})).toThrow(/no handler for job health of queue system/);
  });

  it('has no handler for a job name outside the contract', () => {
    expect(Object.keys(handlers).sort()).toEqual(Object.values(JobName).sort());
  });
});
