import Type from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { candidateHistory } from '@tuban/core/db/candidate-events';
import {
  candidateDetail,
  candidateIdsMatching,
  candidatePage,
  countCandidates,
  type CandidateFilter,
} from '@tuban/core/db/candidates';
import { fieldPhotosOfCandidate } from '@tuban/core/db/field-photos';
import { streetExists } from '@tuban/core/db/streets';
import type { User } from '@tuban/core/db/users';
import { Conflict, Invalid, NotFound } from '@tuban/core/errors';
import { assertCandidateVisible, decide, decideMany, undoDecision } from '@tuban/core/triage/decide';
import { correctOutline, drawMissedBuilding, type Outline } from '@tuban/core/triage/outlines';
import { reviewDismissal } from '@tuban/core/triage/review';
import { isCalendarDate, todayInShanghai } from '@tuban/core/triage/rules';
import { currentUser, requireUser, streetScope } from '../auth.js';
import { errorRef, IdParams } from '../schemas.js';
import {
  BulkDecisionBody,
  CandidateDetailSchema,
  CandidateListQuery,
  CandidateSummarySchema,
  DecisionBody,
  DecisionResultSchema,
  DrawnBuildingBody,
  OutlineBody,
  OutlineResultSchema,
  ReviewBody,
  ReviewResultSchema,
  UndoResultSchema,
} from '../triage/schemas.js';
import { parseBbox } from './geodata.js';

const MAX_BULK = 1000;
const errors = { 400: errorRef, 401: errorRef, 403: errorRef, 404: errorRef, 409: errorRef };

type FilterQuery = {
  run?: number; status?: CandidateFilter['status']; street?: string; bbox?: string; villa?: boolean;
  minScore?: number; minArea?: number; reviewPending?: boolean; from?: string; to?: string;
};

function checkedDate(name: string, value: string | undefined): string | undefined {
  if (value !== undefined && !isCalendarDate(value)) throw new Invalid(`${name} must be a calendar date YYYY-MM-DD; got "${value}"`);
  return value;
}

export const candidateRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const settings = () => ({
    today: todayInShanghai(),
    deadlineDays: app.config.TRIAGE_DEADLINE_DAYS,
    fieldCheckDays: app.config.FIELD_CHECK_DAYS,
    dismissReview: app.config.TRIAGE_DISMISS_REVIEW,
  });

  async function toFilter(user: User, q: FilterQuery): Promise<CandidateFilter> {
    const street = streetScope(user, q.street);
    if (q.street && !(await streetExists(app.db, q.street))) throw new NotFound(`no street with code ${q.street}`);
    return {
      run: q.run, status: q.status, street, villa: q.villa, minScore: q.minScore, minArea: q.minArea,
      reviewPending: q.reviewPending,
      from: checkedDate('from', q.from),
      to: checkedDate('to', q.to),
      bbox: q.bbox === undefined ? undefined : parseBbox(q.bbox),
    };
  }

  app.get(
    '/api/candidates',
    {
      preValidation: requireUser(),
      schema: {
        tags: ['triage'],
        summary: 'The triage queue: candidates (图斑) filtered and sorted, paged; a squad sees its own street only',
        querystring: CandidateListQuery,
        response: {
          200: Type.Object({
            items: Type.Array(CandidateSummarySchema),
            total: Type.Integer(),
            limit: Type.Integer(),
            offset: Type.Integer(),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const q = request.query;
      const filter = await toFilter(currentUser(request), q);
      const page = await candidatePage(app.db, todayInShanghai(), filter, { sort: q.sort, limit: q.limit, offset: q.offset });
      return { ...page, limit: q.limit, offset: q.offset };
    },
  );

  app.get(
    '/api/candidates/:id',
    {
      preValidation: requireUser(),
      schema: {
        tags: ['triage'],
        summary: 'One candidate with its polygon, imagery, status, photos and decision history (oldest first)',
        params: IdParams,
        response: { 200: CandidateDetailSchema, ...errors },
      },
    },
    async (request) => {
      const { id } = request.params;
      const detail = await candidateDetail(app.db, todayInShanghai(), id);
      if (!detail) throw new NotFound(`no candidate ${id}`);
      assertCandidateVisible(currentUser(request), id, detail.streetCode);
      const [history, photos] = await Promise.all([candidateHistory(app.db, id), fieldPhotosOfCandidate(app.db, id)]);
      return { ...detail, history, photos: photos.map((p) => ({ ...p, url: `/api/photos/${p.id}` })) };
    },
  );

  app.post(
    '/api/candidates/:id/decision',
    {
      preValidation: requireUser('admin', 'office', 'squad'),
      schema: {
        tags: ['triage'],
        summary: 'Decide on a candidate: confirmed (creates a registry item), known, dismissed (with a reason) or field_check',
        description:
          'office and admin decide on any candidate; a squad only records the result of a field check in its own street. ' +
          'Each decision writes one audit event in the same transaction.',
        params: IdParams,
        body: DecisionBody,
        response: { 200: DecisionResultSchema, ...errors },
      },
    },
    async (request) => decide(app.db, currentUser(request), request.params.id, request.body, settings()),
  );

  app.put(
    '/api/candidates/:id/outline',
    {
      preValidation: requireUser('admin', 'office'),
      schema: {
        tags: ['triage'],
        summary: "Corrects a candidate's outline (moved vertices); the old outline is kept in the audit event",
        params: IdParams,
        body: OutlineBody,
        response: { 200: OutlineResultSchema, ...errors },
      },
    },
    async (request) =>
      correctOutline(app.db, currentUser(request), request.params.id, request.body.geometry as Outline, request.body.note),
  );

  app.post(
    '/api/candidates/manual',
    {
      preValidation: requireUser('admin', 'office'),
      schema: {
        tags: ['triage'],
        summary: 'Records a building the model missed, drawn on the map: a manual candidate, confirmed (opens a case) or known',
        description: 'Placed in its street, villa compound and registry like a detected candidate; audited as drawn, then as the decision.',
        body: DrawnBuildingBody,
        response: { 201: DecisionResultSchema, ...errors },
      },
    },
    async (request, reply) => {
      const result = await drawMissedBuilding(app.db, currentUser(request), { ...request.body, geometry: request.body.geometry as Outline }, settings());
      return reply.status(201).send(result);
    },
  );

  app.post(
    '/api/candidates/decisions',
    {
      preValidation: requireUser('admin', 'office'),
      schema: {
        tags: ['triage'],
        summary: 'One decision over many candidates, given by ids or by the current filter; all or nothing',
        body: BulkDecisionBody,
        response: {
          200: Type.Object({ count: Type.Integer(), results: Type.Array(DecisionResultSchema) }),
          ...errors,
        },
      },
    },
    async (request) => {
      const { ids, filter, expectedCount, ...decision } = request.body;
      const user = currentUser(request);
      if ((ids === undefined) === (filter === undefined)) throw new Invalid('give either ids or filter, not both or neither');
      let chosen: number[];
      if (ids) {
        chosen = ids;
      } else {
        const f = await toFilter(user, filter!);
        const matching = await countCandidates(app.db, todayInShanghai(), f);
        if (matching > MAX_BULK) throw new Invalid(`the filter matches ${matching} candidates; at most ${MAX_BULK} at once`);
        chosen = await candidateIdsMatching(app.db, f, MAX_BULK);
      }
      if (expectedCount !== undefined && chosen.length !== expectedCount) {
        throw new Conflict(`expected ${expectedCount} candidates but ${chosen.length} match now; reload the queue`);
      }
      if (chosen.length === 0) return { count: 0, results: [] };
      const results = await decideMany(app.db, user, chosen, decision, settings());
      return { count: results.length, results };
    },
  );

  app.post(
    '/api/candidates/:id/review',
    {
      preValidation: requireUser('admin', 'office'),
      schema: {
        tags: ['triage'],
        summary: 'Second review of a dismissal by a junior office user (when TRIAGE_DISMISS_REVIEW is on)',
        description: 'The reviewer is a senior office user or an admin other than the one who dismissed it.',
        params: IdParams,
        body: ReviewBody,
        response: { 200: ReviewResultSchema, ...errors },
      },
    },
    async (request) => reviewDismissal(app.db, currentUser(request), request.params.id, request.body),
  );

  app.post(
    '/api/candidates/:id/undo',
    {
      preValidation: requireUser('admin', 'office', 'squad'),
      schema: {
        tags: ['triage'],
        summary: "Undo the caller's own latest decision on a candidate, if nobody decided after it",
        params: IdParams,
        response: { 200: UndoResultSchema, ...errors },
      },
    },
    async (request) => undoDecision(app.db, currentUser(request), request.params.id),
  );
};
