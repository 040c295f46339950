import multipart, { type Multipart } from '@fastify/multipart';
import Type from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { candidatePage } from '@tuban/core/db/candidates';
import { fieldPhotoFile } from '@tuban/core/db/field-photos';
import { registryHistory, registryItemStreet, registryWorklist } from '@tuban/core/db/registry-items';
import { streetExists } from '@tuban/core/db/streets';
import { workCounts } from '@tuban/core/db/work-counts';
import { DomainError, Invalid, NotFound } from '@tuban/core/errors';
import type { ObjectStore } from '@tuban/core/storage/object-store';
import { addRegistryPhotos, recordDisposition } from '@tuban/core/triage/dispose';
import { recordFieldCheck, type StoredFieldPhoto } from '@tuban/core/triage/field-check';
import { todayInShanghai } from '@tuban/core/triage/rules';
import { currentUser, requireUser, streetScope } from '../auth.js';
import { errorRef, IdParams } from '../schemas.js';
import { MAX_FIELD_PHOTO_BYTES, MAX_FIELD_PHOTOS, removeFiles, saveFieldPhoto, type SavedFile } from '../triage/field-photo-store.js';
import {
  CandidateSummarySchema,
  DecisionResultSchema,
  DispositionBody,
  RegistryWorkItemSchema,
} from '../triage/schemas.js';

const errors = { 400: errorRef, 401: errorRef, 403: errorRef, 404: errorRef, 409: errorRef };
const WORKLIST_LIMIT = 500;

function optionalNumber(name: string, text: string | undefined): number | null {
  if (text === undefined || text.trim() === '') return null;
  const n = Number(text);
  if (!Number.isFinite(n)) throw new Invalid(`${name} must be a number; got "${text}"`);
  return n;
}

function optionalInstant(text: string | undefined): string | null {
  if (text === undefined || text.trim() === '') return null;
  const t = new Date(text);
  if (Number.isNaN(t.getTime())) throw new Invalid(`takenAt must be a date and time (ISO 8601); got "${text}"`);
  return t.toISOString();
}

/**
 * Reads a multipart form of text fields and photo files, writing each photo to the object store as it arrives; the
 * photos carry the form's takenAt, lon and lat. The caller removes `saved` again if it then refuses the form.
 */
async function readPhotoForm(
  request: FastifyRequest,
  objects: ObjectStore,
  what: string,
): Promise<{ fields: Record<string, string>; photos: StoredFieldPhoto[]; saved: SavedFile[] }> {
  if (!request.isMultipart()) throw new Invalid(`send the ${what} as multipart/form-data`);
  const fields: Record<string, string> = {};
  const saved: SavedFile[] = [];
  try {
    await readForm(request, async (part) => {
      if (part.type === 'file') {
        if (!part.filename) return void part.file.resume();
        saved.push(await saveFieldPhoto(objects, part.filename, part.file));
      } else if (typeof part.value === 'string') {
        fields[part.fieldname] = part.value;
      }
    });
    const takenAt = optionalInstant(fields.takenAt);
    const lon = optionalNumber('lon', fields.lon);
    const lat = optionalNumber('lat', fields.lat);
    return { fields, photos: saved.map((f) => ({ ...f, takenAt, lon, lat })), saved };
  } catch (err) {
    await removeFiles(objects, saved);
    throw err;
  }
}

export const squadRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // Scoped to these routes; skipped when the app already registered multipart for everyone.
  if (!app.hasRequestDecorator('parts')) {
    await app.register(multipart, { limits: { fileSize: MAX_FIELD_PHOTO_BYTES, files: MAX_FIELD_PHOTOS, fields: 20 } });
  }

  app.get(
    '/api/squad/tasks',
    {
      preValidation: requireUser(),
      schema: {
        tags: ['squad'],
        summary: "A street's work list: candidates sent for field check and open registry items with deadlines; overdue first",
        querystring: Type.Object({ street: Type.Optional(Type.String({ pattern: '^[0-9]{9}$' })) }),
        response: {
          200: Type.Object({
            street: Type.Union([Type.String(), Type.Null()]),
            today: Type.String(),
            fieldChecks: Type.Array(CandidateSummarySchema),
            registryItems: Type.Array(RegistryWorkItemSchema),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const street = streetScope(currentUser(request), request.query.street) ?? null;
      if (street && !(await streetExists(app.db, street))) throw new NotFound(`no street with code ${street}`);
      const today = todayInShanghai();
      const checks = await candidatePage(app.db, today, { status: 'field_check', street: street ?? undefined }, {
        sort: 'priority', limit: WORKLIST_LIMIT, offset: 0,
      });
      const fieldChecks = [...checks.items].sort(
        (a, b) => Number(b.overdue) - Number(a.overdue) || (a.fieldCheckDue ?? '').localeCompare(b.fieldCheckDue ?? ''),
      );
      const registryItems = await registryWorklist(app.db, street, today, WORKLIST_LIMIT);
      return { street, today, fieldChecks, registryItems };
    },
  );

  app.get(
    '/api/squad/counts',
    {
      preValidation: requireUser('admin', 'office', 'squad'),
      schema: {
        tags: ['squad'],
        summary: "The header's counts: field checks waiting, and field checks and open registry items past their deadline (a squad: its street)",
        response: {
          200: Type.Object({
            street: Type.Union([Type.String(), Type.Null()]),
            today: Type.String(),
            fieldChecks: Type.Integer(),
            fieldChecksOverdue: Type.Integer(),
            itemsOverdue: Type.Integer(),
          }),
          401: errorRef,
          403: errorRef,
        },
      },
    },
    async (request) => {
      const street = streetScope(currentUser(request), undefined) ?? null;
      const today = todayInShanghai();
      return { street, today, ...(await workCounts(app.db, street, today)) };
    },
  );

  app.post(
    '/api/candidates/:id/field-check',
    {
      preValidation: requireUser('admin', 'office', 'squad'),
      schema: {
        tags: ['squad'],
        summary: 'Record a field check: multipart form with result, reason, note, takenAt, lon, lat and photo files',
        description:
          'Fields: result (confirmed|dismissed), reason (for dismissed), note, takenAt (ISO 8601), lon, lat; ' +
          `files: up to ${MAX_FIELD_PHOTOS} photos (JPEG/PNG/WebP, checked by content and re-encoded; ${MAX_FIELD_PHOTO_BYTES / 1024 / 1024} MB each) in any file field.`,
        params: IdParams,
        consumes: ['multipart/form-data'],
        response: { 200: Type.Intersect([DecisionResultSchema, Type.Object({ photoIds: Type.Array(Type.Integer()) })]), ...errors },
      },
    },
    async (request) => {
      const objects = app.storage.objects;
      const { fields, photos, saved } = await readPhotoForm(request, objects, 'field check');
      try {
        const result = fields.result;
        if (result !== 'confirmed' && result !== 'dismissed') {
          throw new Invalid(`result must be confirmed or dismissed; got "${result ?? ''}"`);
        }
        return await recordFieldCheck(app.db, currentUser(request), request.params.id, {
          result,
          reason: fields.reason || undefined,
          note: fields.note,
          photos,
        }, {
          today: todayInShanghai(),
          deadlineDays: app.config.TRIAGE_DEADLINE_DAYS,
          fieldCheckDays: app.config.FIELD_CHECK_DAYS,
          dismissReview: app.config.TRIAGE_DISMISS_REVIEW,
        });
      } catch (err) {
        // Nothing half-written: files of a refused field check do not stay behind.
        await removeFiles(objects, saved);
        throw err;
      }
    },
  );

  app.post(
    '/api/registry/:id/photos',
    {
      preValidation: requireUser('admin', 'office', 'squad'),
      schema: {
        tags: ['squad'],
        summary: 'Add evidence photos to a registry item (e.g. of its demolition): multipart form with takenAt, lon, lat and photo files',
        description: `files: up to ${MAX_FIELD_PHOTOS} photos (JPEG/PNG/WebP/HEIC, ${MAX_FIELD_PHOTO_BYTES / 1024 / 1024} MB each) in any file field.`,
        params: IdParams,
        consumes: ['multipart/form-data'],
        response: { 200: Type.Object({ photoIds: Type.Array(Type.Integer()) }), ...errors },
      },
    },
    async (request) => {
      const objects = app.storage.objects;
      const { photos, saved } = await readPhotoForm(request, objects, 'photos');
      try {
        if (photos.length === 0) throw new Invalid('no photo in the form: add at least one image file');
        return { photoIds: await addRegistryPhotos(app.db, currentUser(request), request.params.id, photos) };
      } catch (err) {
        await removeFiles(objects, saved);
        throw err;
      }
    },
  );

  app.post(
    '/api/registry/:id/disposition',
    {
      preValidation: requireUser('admin', 'office', 'squad'),
      schema: {
        tags: ['squad'],
        summary: 'Record the disposition of a registry item: demolished (拆除), legalized (补证), confiscated (没收), annotated (注记)',
        params: IdParams,
        body: DispositionBody,
        response: {
          200: Type.Object({
            itemId: Type.Integer(), caseNo: Type.String(), from: Type.String(), to: Type.String(), eventId: Type.Integer(),
          }),
          ...errors,
        },
      },
    },
    async (request) => recordDisposition(app.db, currentUser(request), request.params.id, request.body, todayInShanghai()),
  );

  app.get(
    '/api/registry/:id/history',
    {
      preValidation: requireUser(),
      schema: {
        tags: ['squad'],
        summary: "A registry item's events (creation, dispositions), oldest first",
        params: IdParams,
        response: {
          200: Type.Array(Type.Object({
            id: Type.Integer(), at: Type.String({ format: 'date-time' }), actorName: Type.String(), action: Type.String(),
            fromStatus: Type.Union([Type.String(), Type.Null()]), toStatus: Type.Union([Type.String(), Type.Null()]),
            note: Type.String(), data: Type.Record(Type.String(), Type.Unknown()),
          })),
          ...errors,
        },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const street = await registryItemStreet(app.db, request.params.id);
      if (!street || (user.role === 'squad' && street !== user.streetCode)) {
        throw new NotFound(`no registry item ${request.params.id}`);
      }
      return registryHistory(app.db, request.params.id);
    },
  );

  app.get(
    '/api/photos/:id',
    {
      preValidation: requireUser(),
      schema: { tags: ['squad'], summary: 'An evidence photo file', params: IdParams, response: { 401: errorRef, 404: errorRef } },
    },
    async (request, reply) => {
      const user = currentUser(request);
      const photo = await fieldPhotoFile(app.db, request.params.id);
      if (!photo || (user.role === 'squad' && photo.streetCode !== user.streetCode)) {
        throw new NotFound(`no photo ${request.params.id}`);
      }
      reply.header('Cache-Control', 'private, max-age=3600');
      reply.header('Content-Disposition', `attachment; filename="photo-${request.params.id}.${photo.storedPath.split('.').pop()}"`);
      const file = await app.storage.objects.stream(photo.storedPath);
      if (!file) throw new NotFound(`photo ${request.params.id} is missing from storage`);
      return reply.type(photo.mimeType).send(file);
    },
  );
};

/** Reads a multipart form part by part; a malformed form (no boundary, cut off) is the client's error. */
async function readForm(request: FastifyRequest, onPart: (part: Multipart) => Promise<void>): Promise<void> {
  try {
    for await (const part of request.parts()) await onPart(part);
  } catch (err) {
    if (err instanceof DomainError || (err as { statusCode?: number }).statusCode) throw err;
    throw new Invalid(`the multipart form could not be read: ${(err as Error).message}`);
  }
}
