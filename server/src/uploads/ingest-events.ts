import { QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { QueueName } from '@tuban/core/jobs/queues';

export type IngestEvent =
  | { type: 'progress'; data: unknown }
  | { type: 'completed'; data: unknown }
  | { type: 'failed'; data: { reason: string } };

type Listener = (event: IngestEvent) => void;

/**
 * One BullMQ QueueEvents reader for the ingest queue, shared by every open event stream: each stream
 * subscribes to its job id instead of holding a blocking Redis connection of its own.
 */
export class IngestEvents {
  private events?: Promise<QueueEvents>;
  private connection?: Redis;
  private readonly listeners = new Map<string, Set<Listener>>();

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async subscribe(jobId: string, listener: Listener): Promise<() => void> {
    await this.start();
    let set = this.listeners.get(jobId);
    if (!set) this.listeners.set(jobId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(jobId);
    };
  }

  private start(): Promise<QueueEvents> {
    this.events ??= (async () => {
      this.connection = this.redis.duplicate();
      const events = new QueueEvents(QueueName.Ingest, { connection: this.connection, prefix: this.prefix });
      events.on('progress', ({ jobId, data }) => this.emit(jobId, { type: 'progress', data }));
      events.on('completed', ({ jobId, returnvalue }) => this.emit(jobId, { type: 'completed', data: returnvalue }));
      events.on('failed', ({ jobId, failedReason }) => this.emit(jobId, { type: 'failed', data: { reason: failedReason } }));
      await events.waitUntilReady();
      return events;
    })();
    return this.events;
  }

  private emit(jobId: string, event: IngestEvent): void {
    for (const listener of this.listeners.get(jobId) ?? []) listener(event);
  }

  async close(): Promise<void> {
    if (this.events) await (await this.events).close();
    this.connection?.disconnect();
  }
}
