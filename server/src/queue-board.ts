import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyInstance } from 'fastify';

export const QUEUE_BOARD_PATH = '/admin/queues';

/** The BullMQ dashboard for admins: every Tuban queue (under the configured key prefix), its jobs, retries and failures. */
export async function registerQueueBoard(app: FastifyInstance): Promise<void> {
  const adapter = new FastifyAdapter();
  createBullBoard({
    queues: Object.values(app.queues.byName).map((q) => new BullMQAdapter(q)),
    serverAdapter: adapter,
    // a way back to the app, and no link out to the board's own documentation site
    options: { uiConfig: { boardTitle: 'Tuban', miscLinks: [{ text: '← Tuban', url: '/' }], hideDocsLink: true } },
  });
  adapter.setBasePath(QUEUE_BOARD_PATH);
  await app.register(
    async (scoped) => {
      // Answered here rather than thrown: the board's plugin installs an error handler of its own.
      scoped.addHook('onRequest', async (request, reply) => {
        if (!request.user) return reply.status(401).send({ error: { code: 'unauthorized', message: 'login required' } });
        if (request.user.role !== 'admin') {
          return reply.status(403).send({ error: { code: 'forbidden', message: 'the queue dashboard is for admins' } });
        }
      });
      // The board's page loads web fonts from the internet; the server may have none: its own fonts serve.
      scoped.addHook('onSend', async (_request, reply, payload) => {
        if (typeof payload !== 'string' || !String(reply.getHeader('content-type') ?? '').includes('text/html')) return payload;
        return payload.replace(/<link[^>]+fonts\.googleapis\.com[^>]*>/g, '');
      });
      await scoped.register(adapter.registerPlugin());
    },
    { prefix: QUEUE_BOARD_PATH },
  );
}
