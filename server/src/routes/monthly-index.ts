import Type from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { monthExportItems } from '@tuban/core/db/monthly-export';
import { villaProgress } from '@tuban/core/db/villa-progress';
import type { IndexDrill, IndexRow, MonthlyIndex } from '@tuban/core/monthly-index/compute';
import { monthlyIndex, monthlyIndexTrend } from '@tuban/core/monthly-index/index';
import { previousMonth } from '@tuban/core/monthly-index/month';
import { FINDING_SOURCES } from '@tuban/core/domain';
import { Forbidden, Invalid, NotFound } from '@tuban/core/errors';
import type { User } from '@tuban/core/db/users';
import { currentUser, requireUser } from '../auth.js';
import { MonthSchema as Month, errorRef } from '../schemas.js';

const Scope = Type.String({ pattern: '^(district|[0-9]{9})$', description: "'district' or a street code" });
const REGISTRY_MEASURES = ['newItems', 'dueItems', 'handledOnTime', 'disposedItems', 'removedItems', 'closedOutItems'];
const MEASURES = [...REGISTRY_MEASURES, 'decidedCandidates', 'flights', ...FINDING_SOURCES.map((s) => `bySource.${s}`)];
const NullableNumber = Type.Union([Type.Number(), Type.Null()]);
const TrendRowSchema = Type.Object(
  {
    scope: Type.String(),
    name: Type.String(),
    score: NullableNumber,
    grade: Type.Union([Type.String(), Type.Null()]),
    newCount: Type.Integer(),
    closedOutM2: Type.Number(),
    ytdClosedOutM2: Type.Number(),
    sorties: Type.Integer(),
    pilotShifts: Type.Integer(),
  },
  { additionalProperties: true },
);
/** The month's 12345 complaints; see core/src/complaints/monthly-counts.ts. */
const ComplaintCountsSchema = Type.Object({
  received: Type.Integer(),
  closed: Type.Integer(),
  true: Type.Integer(),
  trueNew: Type.Integer(),
  trueExisting: Type.Integer(),
  untrue: Type.Integer(),
  due: Type.Integer(),
  onTime: Type.Integer(),
  completionRate: NullableNumber,
});
/** One row of the index (a street or the district); see core/src/monthly-index/compute.ts. */
const RowSchema = Type.Intersect([
  TrendRowSchema,
  Type.Object(
    {
      newBySource: Type.Record(Type.String(), Type.Integer()),
      proactiveShare: NullableNumber,
      dueCount: Type.Integer(),
      handledOnTimeCount: Type.Integer(),
      handlingRate: NullableNumber,
      decisionCount: Type.Integer(),
      medianDecisionDays: NullableNumber,
      dispositionCount: Type.Integer(),
      medianDispositionDays: NullableNumber,
      areaFoundM2: Type.Number(),
      areaRemovedM2: Type.Number(),
      closedOutCount: Type.Integer(),
      annualTargetM2: NullableNumber,
      targetProgress: NullableNumber,
      components: Type.Record(Type.String(), NullableNumber),
      coverageShare: NullableNumber,
      complaints: ComplaintCountsSchema,
    },
    { additionalProperties: true },
  ),
]);
const VillaProgressSchema = Type.Object({
  category: Type.String(),
  total: Type.Integer(),
  done: Type.Integer(),
  byStatus: Type.Record(Type.String(), Type.Integer()),
  floorAreaM2: Type.Number(),
});

/** A squad sees its own street's row only; everyone else sees the district and every street. */
function visibleRows(index: MonthlyIndex, user: User): IndexRow[] {
  return user.role === 'squad' ? index.rows.filter((r) => r.scope === user.streetCode) : index.rows;
}

function drillIds(row: IndexRow, measure: string): number[] {
  if (measure.startsWith('bySource.')) return row.drill.bySource[measure.slice(9) as keyof IndexDrill['bySource']];
  return row.drill[measure as Exclude<keyof IndexDrill, 'bySource'>] as number[];
}

const lastMonth = () => previousMonth(new Date());

export const monthlyIndexRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/monthly-index',
    {
      preValidation: requireUser(),
      schema: {
        tags: ['monthly-index'],
        summary: 'The monthly dynamic-monitoring index (新增违建动态监测指数): district row, then one per street, with drill-down ids',
        querystring: Type.Object({ month: Type.Optional(Month) }),
        response: { 200: Type.Object({ month: Type.String(), rows: Type.Array(RowSchema) }), 400: errorRef, 401: errorRef },
      },
    },
    async (request) => {
      const index = await monthlyIndex(app.db, request.query.month ?? lastMonth());
      return { month: index.month, rows: visibleRows(index, currentUser(request)) };
    },
  );

  app.get(
    '/api/monthly-index/drill',
    {
      preValidation: requireUser(),
      schema: {
        tags: ['monthly-index'],
        summary: 'The items, candidates or flights behind one number of the index',
        querystring: Type.Object({
          month: Month,
          scope: Scope,
          measure: Type.String({ description: `one of ${MEASURES.join(', ')}` }),
        }),
        response: {
          200: Type.Object({
            month: Type.String(),
            scope: Type.String(),
            measure: Type.String(),
            kind: Type.Enum(['registry', 'candidates', 'flights']),
            ids: Type.Array(Type.Integer()),
            items: Type.Array(
              Type.Object(
                {
                  id: Type.Integer(),
                  caseNo: Type.String(),
                  streetName: Type.String(),
                  status: Type.String(),
                  source: Type.String(),
                  floorAreaM2: Type.Number(),
                  foundOn: Type.String(),
                  closedOn: Type.Union([Type.String(), Type.Null()]),
                },
                { additionalProperties: true },
              ),
            ),
          }),
          400: errorRef,
          401: errorRef,
          403: errorRef,
          404: errorRef,
        },
      },
    },
    async (request) => {
      const { month, scope, measure } = request.query;
      if (!MEASURES.includes(measure)) throw new Invalid(`measure must be one of ${MEASURES.join(', ')}; got "${measure}"`);
      const user = currentUser(request);
      if (user.role === 'squad' && scope !== user.streetCode) {
        throw new Forbidden(`a squad of street ${user.streetCode} may not see ${scope}`);
      }
      const row = (await monthlyIndex(app.db, month)).rows.find((r) => r.scope === scope);
      if (!row) throw new NotFound(`no street with code ${scope}`);
      const ids = drillIds(row, measure);
      const kind = measure === 'flights' ? 'flights' : measure === 'decidedCandidates' ? 'candidates' : 'registry';
      const items =
        kind === 'registry' ? (await monthExportItems(app.db, ids)).map(({ geometry: _g, ...rest }) => rest) : [];
      return { month, scope, measure, kind, ids, items } as const;
    },
  );

  app.get(
    '/api/dashboard',
    {
      preValidation: requireUser('admin', 'office', 'viewer'),
      schema: {
        tags: ['monthly-index'],
        summary: 'Leadership dashboard (驾驶舱): the month by street, 12-month trends, close-out against target, villas',
        querystring: Type.Object({ month: Type.Optional(Month) }),
        response: {
          200: Type.Object({
            month: Type.String(),
            rows: Type.Array(RowSchema),
            trend: Type.Array(Type.Object({ month: Type.String(), rows: Type.Array(TrendRowSchema) })),
            villas: Type.Array(VillaProgressSchema),
          }),
          400: errorRef,
          401: errorRef,
          403: errorRef,
        },
      },
    },
    async (request) => {
      const month = request.query.month ?? lastMonth();
      const trend = [];
      const months = await monthlyIndexTrend(app.db, month, 12);
      const current = months[months.length - 1]!;
      for (const index of months) {
        trend.push({
          month: index.month,
          rows: index.rows.map((r) => ({
            scope: r.scope,
            name: r.name,
            score: r.score,
            grade: r.grade,
            newCount: r.newCount,
            closedOutM2: r.closedOutM2,
            ytdClosedOutM2: r.ytdClosedOutM2,
            sorties: r.sorties,
            pilotShifts: r.pilotShifts,
          })),
        });
      }
      const rows = current.rows.map(({ drill: _d, ...r }) => r);
      return { month, rows, trend, villas: await villaProgress(app.db) };
    },
  );
};
