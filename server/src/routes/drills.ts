import Type from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { answerDrill, DRILL_ANSWERS, drillOf, drillTraineeSummary, MAX_DRILL_SIZE, startDrill } from '@tuban/core/learning/drills';
import { currentUser, requireUser } from '../auth.js';
import { errorRef, IdParams, Nullable } from '../schemas.js';

const Answer = Type.Enum(DRILL_ANSWERS, { description: 'change: a new building; no_change: nothing new there' });

const DrillItemSchema = Type.Object({
  position: Type.Integer(),
  candidateId: Type.Integer({ description: 'its before/after crops: /api/candidates/{id}/chips/before.webp and after.webp' }),
  areaM2: Type.Number(),
  hasBefore: Type.Boolean(),
  hasAfter: Type.Boolean(),
  answer: Nullable(Answer),
  expected: Nullable(Type.Enum(DRILL_ANSWERS, { description: "the office's decision as a label; null until answered" })),
  correct: Nullable(Type.Boolean()),
  officeStatus: Nullable(Type.String({ description: "the office's decision; null until answered" })),
  officeDismissReason: Nullable(Type.String()),
});

const DrillSchema = Type.Object({
  id: Type.Integer(),
  traineeId: Type.Integer(),
  createdAt: Type.String(),
  items: Type.Array(DrillItemSchema),
  answered: Type.Integer(),
  correct: Type.Integer(),
});

const SummarySchema = Type.Object({
  traineeId: Type.Integer(),
  username: Type.String(),
  displayName: Type.String(),
  sessions: Type.Integer(),
  answered: Type.Integer(),
  correct: Type.Integer(),
  missed: Type.Integer({ description: 'answered no change where the office saw a new building' }),
  falseAlarms: Type.Integer({ description: 'answered change where the office saw none' }),
  lastAt: Nullable(Type.String()),
});

const errors = { 400: errorRef, 401: errorRef, 403: errorRef, 404: errorRef, 409: errorRef };

export const drillRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/drills',
    {
      preValidation: requireUser('admin', 'office'),
      schema: {
        tags: ['drills'],
        summary: 'Starts a drill for the caller: decided candidates in random order, before/after only, no answer shown',
        body: Type.Object({ size: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_DRILL_SIZE, default: 10 })) }, { additionalProperties: false }),
        response: { 201: DrillSchema, ...errors },
      },
    },
    async (request, reply) => reply.status(201).send(await startDrill(app.db, currentUser(request), request.body.size)),
  );

  app.get(
    '/api/drills/summary',
    {
      preValidation: requireUser('admin', 'office'),
      schema: { tags: ['drills'], summary: 'Per trainee: drills taken, answers, correct ones, missed buildings and false alarms', response: { 200: Type.Array(SummarySchema), ...errors } },
    },
    async (request) => drillTraineeSummary(app.db, currentUser(request)),
  );

  app.get(
    '/api/drills/:id',
    {
      preValidation: requireUser('admin', 'office'),
      schema: { tags: ['drills'], summary: "One of the caller's drills; the office's decisions show on answered items only", params: IdParams, response: { 200: DrillSchema, ...errors } },
    },
    async (request) => drillOf(app.db, currentUser(request), request.params.id),
  );

  app.post(
    '/api/drills/:id/answers',
    {
      preValidation: requireUser('admin', 'office'),
      schema: {
        tags: ['drills'],
        summary: "Answers one item of the caller's drill (once) and scores it against the office's decision; no real case changes",
        params: IdParams,
        body: Type.Object({ position: Type.Integer({ minimum: 1 }), answer: Answer }, { additionalProperties: false }),
        response: { 200: DrillItemSchema, ...errors },
      },
    },
    async (request) => answerDrill(app.db, currentUser(request), request.params.id, request.body.position, request.body.answer),
  );
};
