// 12345 complaints: import (file or JSON), the list and a complaint with what lies at its spot, and the steps
// of its handling (place, dispatch, close).
import Type from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { readComplaintFile } from '@tuban/core/complaints/parse';
import { COMPLAINT_OUTCOMES, importComplaintRows } from '@tuban/core/complaints/import';
import { closeComplaint, complaintVisible, dispatchComplaint, placeComplaint } from '@tuban/core/complaints/workflow';
import {
  candidatesNear,
  complaintHistory,
  getComplaint,
  imageryOfSpot,
  listComplaints,
  registryItemsNear,
} from '@tuban/core/db/complaints';
import {
  BUILDING_TYPES,
  COMPLAINT_CRS,
  COMPLAINT_STATUSES,
  COMPLAINT_UNTRUE_REASONS,
  COMPLAINT_VIOLATIONS,
  type ComplaintStatus,
} from '@tuban/core/domain';
import { Invalid, NotFound } from '@tuban/core/errors';
import { todayInShanghai } from '@tuban/core/triage/rules';
import { currentUser, requireUser, streetScope } from '../auth.js';
import { errorRef, ErrorParamsSchema, IdParams, Nullable } from '../schemas.js';
import { acceptRawBodies } from '../raw-bodies.js';

const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;
const MAX_JSON_COMPLAINTS = 5000;
/** How far from a complaint's point registry items and candidates count as "there". */
const NEAR_M = 60;
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const errors = { 400: errorRef, 401: errorRef, 403: errorRef, 404: errorRef, 409: errorRef };

const ImportReportSchema = Type.Object({
  fileName: Type.String(),
  crs: Type.Enum(COMPLAINT_CRS),
  dryRun: Type.Boolean(),
  total: Type.Integer(),
  counts: Type.Object(Object.fromEntries(COMPLAINT_OUTCOMES.map((o) => [o, Type.Integer()])) as Record<(typeof COMPLAINT_OUTCOMES)[number], ReturnType<typeof Type.Integer>>),
  placed: Type.Integer({ description: 'rows to add that were placed (by coordinates or a registry address)' }),
  unplaced: Type.Integer({ description: 'rows to add that a person must place on the map' }),
  added: Type.Integer({ description: 'complaints written (0 on a dry run)' }),
  rows: Type.Array(
    Type.Object({
      row: Type.Integer({ description: "the row's line in the file (header = 1), or its position in the JSON list" }),
      number: Nullable(Type.String()),
      outcome: Type.Enum(COMPLAINT_OUTCOMES),
      placedBy: Nullable(Type.Enum(['coordinates', 'registry_address'])),
      streetCode: Nullable(Type.String()),
      lon: Nullable(Type.Number()),
      lat: Nullable(Type.Number()),
      notes: Type.Array(Type.Object({ code: Type.String(), params: ErrorParamsSchema })),
      messages: Type.Array(Type.String(), { description: 'the notes in English' }),
    }),
  ),
});

const ComplaintSchema = Type.Object({
  id: Type.Integer(),
  number: Type.String(),
  receivedAt: Type.String({ format: 'date-time' }),
  address: Type.String(),
  content: Type.String(),
  deadline: Nullable(Type.String()),
  status: Type.Enum(COMPLAINT_STATUSES),
  streetCode: Nullable(Type.String()),
  streetName: Nullable(Type.String()),
  lon: Nullable(Type.Number()),
  lat: Nullable(Type.Number()),
  placedBy: Nullable(Type.String()),
  reportedCrs: Nullable(Type.String()),
  dispatchedAt: Nullable(Type.String({ format: 'date-time' })),
  violation: Nullable(Type.Enum(COMPLAINT_VIOLATIONS)),
  registryItemId: Nullable(Type.Integer()),
  caseNo: Nullable(Type.String()),
  untrueReason: Nullable(Type.Enum(COMPLAINT_UNTRUE_REASONS)),
  reply: Nullable(Type.String()),
  closedAt: Nullable(Type.String({ format: 'date-time' })),
  overdue: Type.Boolean(),
});

const DetailSchema = Type.Object({
  complaint: ComplaintSchema,
  registryItems: Type.Array(
    Type.Object({ id: Type.Integer(), caseNo: Type.String(), status: Type.String(), address: Type.String(), floorAreaM2: Type.Number(), distanceM: Type.Number() }),
  ),
  candidates: Type.Array(
    Type.Object({ id: Type.Integer(), status: Type.String(), areaM2: Type.Number(), distanceM: Type.Number(), createdAt: Type.String({ format: 'date-time' }) }),
  ),
  imagery: Type.Object({
    after: Nullable(Type.Object({ id: Type.Integer(), kind: Type.String(), capturedAt: Nullable(Type.String({ format: 'date-time' })), maxZoom: Nullable(Type.Integer()), tileFormat: Nullable(Type.String()) })),
    before: Nullable(Type.Object({ id: Type.Integer(), kind: Type.String(), capturedAt: Nullable(Type.String({ format: 'date-time' })), maxZoom: Nullable(Type.Integer()), tileFormat: Nullable(Type.String()) })),
  }),
  history: Type.Array(
    Type.Object({
      id: Type.Integer(),
      at: Type.String({ format: 'date-time' }),
      actorName: Type.String(),
      action: Type.String(),
      fromStatus: Nullable(Type.String()),
      toStatus: Type.String(),
      note: Type.String(),
      data: Type.Record(Type.String(), Type.Unknown()),
    }),
  ),
});

const JsonComplaint = Type.Object(
  {
    number: Type.String({ minLength: 1, maxLength: 64 }),
    receivedAt: Type.String({ description: 'ISO 8601, or "YYYY-MM-DD HH:mm[:ss]" in Shanghai time' }),
    address: Type.Optional(Type.String({ maxLength: 500 })),
    lon: Type.Optional(Type.Number()),
    lat: Type.Optional(Type.Number()),
    crs: Type.Optional(Type.Enum(COMPLAINT_CRS)),
    content: Type.String({ maxLength: 4000 }),
    deadline: Type.Optional(Type.String({ description: 'YYYY-MM-DD (a time of day is dropped)' })),
  },
  { additionalProperties: false },
);

export const complaintRoutes: FastifyPluginAsyncTypebox = async (app) => {
  acceptRawBodies(app, ['application/octet-stream', 'text/csv', XLSX_TYPE], MAX_UPLOAD_BYTES);

  app.post(
    '/api/complaints/import',
    {
      preValidation: requireUser('admin', 'office'),
      bodyLimit: MAX_UPLOAD_BYTES,
      schema: {
        tags: ['complaints'],
        summary: "Imports 12345 complaints from the hotline's CSV or XLSX export; a dry run (the default) only reports",
        description:
          'Send the file as the body. Each row is reported: add, exists (the number is known: skipped), duplicate (earlier in the file), invalid (with coded notes). Rows to add are placed by their coordinates or by their address matched against registry addresses; the rest wait for a person to place them. Headers: see docs/complaints.md.',
        querystring: Type.Object({
          fileName: Type.String({ minLength: 1, description: 'the file name; .csv or .xlsx gives the format' }),
          crs: Type.Enum(COMPLAINT_CRS, { default: 'wgs84', description: "the coordinates' datum, unless a 坐标系 column says otherwise per row" }),
          dryRun: Type.Boolean({ default: true }),
        }),
        response: { 200: ImportReportSchema, 400: errorRef, 401: errorRef, 403: errorRef },
      },
    },
    async (request) => {
      const { fileName, crs, dryRun } = request.query;
      const body = request.body;
      if (!Buffer.isBuffer(body) || body.length === 0) {
        throw new Invalid('the request body is empty: send the file as the body', { code: 'complaint_file_empty' });
      }
      const sheet = await readComplaintFile(fileName, body);
      return importComplaintRows(app.db, sheet.rows, { fileName, crs, dryRun, actorId: currentUser(request).id });
    },
  );

  app.post(
    '/api/complaints',
    {
      preValidation: requireUser('admin', 'office'),
      schema: {
        tags: ['complaints'],
        summary: 'Imports complaints sent as JSON (from the hotline system); reported and written as a file import is',
        body: Type.Object(
          {
            crs: Type.Enum(COMPLAINT_CRS, { default: 'wgs84' }),
            dryRun: Type.Boolean({ default: false }),
            complaints: Type.Array(JsonComplaint, { minItems: 1, maxItems: MAX_JSON_COMPLAINTS }),
          },
          { additionalProperties: false },
        ),
        response: { 200: ImportReportSchema, 400: errorRef, 401: errorRef, 403: errorRef },
      },
    },
    async (request) => {
      const { crs, dryRun, complaints } = request.body;
      const rows = complaints.map((c, i) => ({
        line: i + 1,
        cells: { number: c.number, received_at: c.receivedAt, address: c.address, lon: c.lon, lat: c.lat, crs: c.crs, content: c.content, deadline: c.deadline },
      }));
      return importComplaintRows(app.db, rows, { fileName: 'api', crs, dryRun, actorId: currentUser(request).id });
    },
  );

  app.get(
    '/api/complaints',
    {
      preValidation: requireUser('admin', 'office', 'squad'),
      schema: {
        tags: ['complaints'],
        summary: 'Complaints, open ones first by deadline; a squad sees those dispatched to its street',
        querystring: Type.Object({
          status: Type.Optional(Type.String({ description: `comma-separated, of ${COMPLAINT_STATUSES.join(', ')}` })),
          street: Type.Optional(Type.String({ pattern: '^[0-9]{9}$' })),
          limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
          offset: Type.Integer({ minimum: 0, default: 0 }),
        }),
        response: { 200: Type.Object({ total: Type.Integer(), rows: Type.Array(ComplaintSchema) }), 400: errorRef, 401: errorRef, 403: errorRef },
      },
    },
    async (request) => {
      const q = request.query;
      const user = currentUser(request);
      let statuses = q.status?.split(',').map((s) => s.trim()).filter(Boolean) as ComplaintStatus[] | undefined;
      const unknown = statuses?.find((s) => !(COMPLAINT_STATUSES as readonly string[]).includes(s));
      if (unknown) throw new Invalid(`status must be among ${COMPLAINT_STATUSES.join(', ')}; got "${unknown}"`);
      if (user.role === 'squad') {
        const theirs: ComplaintStatus[] = ['dispatched', 'true', 'untrue'];
        statuses = statuses ? statuses.filter((s) => theirs.includes(s)) : theirs;
      }
      return listComplaints(app.db, todayInShanghai(), { statuses, street: streetScope(user, q.street), limit: q.limit, offset: q.offset });
    },
  );

  app.get(
    '/api/complaints/:id',
    {
      preValidation: requireUser('admin', 'office', 'squad'),
      schema: {
        tags: ['complaints'],
        summary: 'One complaint with what lies at its spot (registry items and candidates nearby, the newest before/after imagery) and its history',
        params: IdParams,
        response: { 200: DetailSchema, ...errors },
      },
    },
    async (request) => {
      const { id } = request.params;
      const complaint = await getComplaint(app.db, todayInShanghai(), id);
      if (!complaint || !complaintVisible(currentUser(request), complaint)) throw new NotFound(`no complaint ${id}`);
      const { lon, lat } = complaint;
      const at = lon !== null && lat !== null;
      const [registryItems, candidates, imagery, history] = await Promise.all([
        at ? registryItemsNear(app.db, lon, lat, NEAR_M) : [],
        at ? candidatesNear(app.db, lon, lat, NEAR_M) : [],
        at ? imageryOfSpot(app.db, lon, lat) : [],
        complaintHistory(app.db, id),
      ]);
      return { complaint, registryItems, candidates, imagery: { after: imagery[0] ?? null, before: imagery[1] ?? null }, history };
    },
  );

  app.post(
    '/api/complaints/:id/place',
    {
      preValidation: requireUser('admin', 'office'),
      schema: {
        tags: ['complaints'],
        summary: 'Sets (or corrects, before dispatch) where a complaint is; its street follows from the point',
        params: IdParams,
        body: Type.Object(
          { lon: Type.Number({ minimum: -180, maximum: 180 }), lat: Type.Number({ minimum: -90, maximum: 90 }), crs: Type.Enum(COMPLAINT_CRS, { default: 'wgs84' }) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ id: Type.Integer(), status: Type.Literal('placed'), lon: Type.Number(), lat: Type.Number(), streetCode: Nullable(Type.String()) }),
          ...errors,
        },
      },
    },
    async (request) => placeComplaint(app.db, currentUser(request), request.params.id, request.body),
  );

  app.post(
    '/api/complaints/:id/dispatch',
    {
      preValidation: requireUser('admin', 'office'),
      schema: {
        tags: ['complaints'],
        summary: "Sends a placed complaint to its street's squad with a deadline (the hotline's unless given)",
        params: IdParams,
        body: Type.Object(
          { deadline: Type.Optional(Type.String({ format: 'date' })), note: Type.Optional(Type.String({ maxLength: 2000 })) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ id: Type.Integer(), status: Type.Literal('dispatched'), streetCode: Type.String(), deadline: Type.String() }),
          ...errors,
        },
      },
    },
    async (request) => dispatchComplaint(app.db, currentUser(request), request.params.id, request.body),
  );

  app.post(
    '/api/complaints/:id/close',
    {
      preValidation: requireUser('admin', 'office', 'squad'),
      schema: {
        tags: ['complaints'],
        summary: 'Closes a complaint as 属实 (true: a new violation, which opens a registry case, or an existing registry item) or 不属实 (untrue, with a reason), with the reply to the caller',
        params: IdParams,
        body: Type.Object(
          {
            verdict: Type.Enum(['true', 'untrue']),
            violation: Type.Optional(Type.Enum(COMPLAINT_VIOLATIONS)),
            registryItemId: Type.Optional(Type.Integer({ minimum: 1 })),
            areaM2: Type.Optional(Type.Number({ minimum: 1, maximum: 100_000, description: "a new violation's floor area" })),
            buildingType: Type.Optional(Type.Enum(BUILDING_TYPES)),
            reason: Type.Optional(Type.Enum(COMPLAINT_UNTRUE_REASONS)),
            reply: Type.String({ minLength: 1, maxLength: 4000 }),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ id: Type.Integer(), status: Type.Enum(['true', 'untrue']), registryItemId: Nullable(Type.Integer()), caseNo: Nullable(Type.String()) }),
          ...errors,
        },
      },
    },
    async (request) =>
      closeComplaint(app.db, currentUser(request), request.params.id, request.body, {
        today: todayInShanghai(),
        deadlineDays: app.config.TRIAGE_DEADLINE_DAYS,
      }),
  );
};
