import type { IncomingMessage, ServerResponse } from 'node:http';
import { Server, type Upload } from '@tus/server';
import type { DataStore } from '@tus/utils';
import { withTransaction, type Pool } from '@tuban/core/db/pool';
import {
  findFlightPilot,
  findImageryStatus,
  findImageryStatusBySha,
  findOriginalUpload,
  findUploadRecord,
  insertUploadRecord,
  insertUploadedImagery,
  reopenFailedImagery,
  type UploadRecord,
} from '@tuban/core/db/uploads';
import type { User } from '@tuban/core/db/users';
import { clearFailedIngest, enqueueIngest } from '@tuban/core/jobs/ingest-job';
import type { Queues } from '@tuban/core/jobs/queues';
import { formatBytes, parseUploadMeta, UploadRejection } from './metadata.js';
import { RunningHashes, sha256Stream } from './sha256.js';
import type { UploadStorage } from './upload-storage.js';

export interface UploadServiceOptions {
  db: Pool;
  /** Where tus keeps the uploads (a folder or the S3 bucket). */
  storage: UploadStorage;
  maxBytes: number;
  queues: Queues;
  /** The URL path tus serves, e.g. /api/uploads. */
  path: string;
}

export interface UploadResult {
  uploadId: string;
  imageryId: number;
  duplicate: boolean;
  status: 'uploaded' | 'ingesting' | 'ready' | 'failed';
}

/** Roles that may upload imagery. */
export const UPLOAD_ROLES = ['pilot', 'office', 'admin'] as const;

type TusRequest = Parameters<NonNullable<ConstructorParameters<typeof Server>[0]['onIncomingRequest']>>[0];

export class UploadService {
  readonly store: DataStore;
  readonly tus: Server;
  private readonly hashes = new RunningHashes();
  // The caller of each HTTP request, resolved by fastify before tus sees the request.
  private readonly users = new WeakMap<IncomingMessage, User>();
  // Finishing hashes the whole file; a second caller for the same upload waits for the first.
  private readonly finishing = new Map<string, Promise<UploadRecord>>();

  constructor(private readonly opts: UploadServiceOptions) {
    this.store = opts.storage.datastore;
    this.hashWhileWriting(this.store);
    this.tus = new Server({
      path: opts.path,
      datastore: this.store,
      maxSize: opts.maxBytes,
      relativeLocation: true,
      disableTerminationForFinishedUploads: true,
      onIncomingRequest: (req, id) => this.checkOwner(req, id),
      onUploadCreate: (req, upload) => this.onCreate(req, upload),
      onUploadFinish: async (req, upload) => {
        const result = await this.finish(upload.id);
        return { status_code: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(result) };
      },
    });
  }

  // The hash is taken from the bytes on their way into the store: a finished upload is not read again.
  private hashWhileWriting(store: DataStore): void {
    const write = store.write.bind(store);
    store.write = async (body, id, offset) => {
      const tap = this.hashes.tap(id, offset, body);
      const stored = await write(tap.stream, id, offset);
      tap.settle(stored);
      return stored;
    };
  }

  /** Handles one tus request for a user that fastify has already authenticated. */
  async handle(req: IncomingMessage, res: ServerResponse, user: User): Promise<void> {
    this.users.set(req, user);
    await this.tus.handle(req, res);
  }

  tooLargeMessage(size: number): string {
    return `file is ${formatBytes(size)} (${size} bytes); uploads are limited to ${formatBytes(this.opts.maxBytes)} (UPLOAD_MAX_BYTES)`;
  }

  private userOf(req: TusRequest): User {
    const node = (req as unknown as { node?: { req: IncomingMessage } }).node?.req;
    const user = node && this.users.get(node);
    if (!user) throw new UploadRejection(401, 'unauthorized', 'login required');
    return user;
  }

  private async checkOwner(req: TusRequest, id: string): Promise<void> {
    const user = this.userOf(req);
    if (req.method === 'POST') return;
    const upload = await this.store.getUpload(id);
    if (!mayTouch(user, upload.metadata?.userId)) {
      throw new UploadRejection(403, 'forbidden', `upload ${id} belongs to another user`);
    }
  }

  private async onCreate(req: TusRequest, upload: Upload): Promise<{ metadata: Record<string, string | null> }> {
    const user = this.userOf(req);
    const meta = parseUploadMeta(upload.metadata);
    if (upload.size !== undefined && upload.size > this.opts.maxBytes) {
      throw new UploadRejection(413, 'too_large', this.tooLargeMessage(upload.size));
    }
    if (meta.flightId !== null) {
      const pilot = await findFlightPilot(this.opts.db, meta.flightId);
      if (pilot === undefined) throw new UploadRejection(400, 'invalid', `no sortie ${meta.flightId}`);
      if (user.role === 'pilot' && pilot !== user.id) {
        throw new UploadRejection(403, 'forbidden', `sortie ${meta.flightId} was flown by another pilot`);
      }
    }
    return { metadata: { ...upload.metadata, userId: String(user.id) } };
  }

  /**
   * Turns a complete upload into an imagery row and an ingest job, or recognises it as a duplicate of
   * existing imagery (then its file is deleted). The same file as imagery whose ingest failed for good is
   * a retry, not a duplicate: that item is ingested again from this upload. Safe to call again: the first
   * record is returned.
   */
  async finish(id: string): Promise<UploadResult> {
    let pending = this.finishing.get(id);
    if (!pending) {
      pending = this.finishOnce(id).finally(() => this.finishing.delete(id));
      this.finishing.set(id, pending);
    }
    return this.resultOf(await pending);
  }

  async resultOf(record: UploadRecord): Promise<UploadResult> {
    const img = await findImageryStatus(this.opts.db, record.imageryId);
    return { uploadId: record.id, imageryId: record.imageryId, duplicate: record.duplicate, status: img?.status ?? 'uploaded' };
  }

  private async finishOnce(id: string): Promise<UploadRecord> {
    const done = await findUploadRecord(this.opts.db, id);
    if (done) return done;
    const upload = await this.store.getUpload(id);
    if (upload.size === undefined || upload.offset !== upload.size) {
      throw new UploadRejection(409, 'conflict', `upload ${id} is not complete (${upload.offset} of ${upload.size ?? '?'} bytes)`);
    }
    const meta = parseUploadMeta(upload.metadata);
    const userId = Number(upload.metadata?.userId);
    const sha256 = this.hashes.take(id, upload.size) ?? (await sha256Stream(await this.opts.storage.read(id)));
    const retryOf = await this.failedForGood(sha256);
    const details = { kind: meta.kind, fileName: meta.fileName, flightId: meta.flightId, capturedAt: meta.capturedAt, uploadedBy: userId };
    const record = await withTransaction(this.opts.db, async (tx) => {
      if (retryOf !== undefined && (await reopenFailedImagery(tx, retryOf, details))) {
        return insertUploadRecord(tx, { id, userId, fileName: meta.fileName, sizeBytes: upload.size!, sha256, imageryId: retryOf, duplicate: false });
      }
      const imageryId = await insertUploadedImagery(tx, { ...details, sha256, sizeBytes: upload.size! });
      const existing = imageryId === undefined ? await findImageryStatusBySha(tx, sha256) : undefined;
      return insertUploadRecord(tx, {
        id,
        userId,
        fileName: meta.fileName,
        sizeBytes: upload.size!,
        sha256,
        imageryId: imageryId ?? existing!.id,
        duplicate: imageryId === undefined,
      });
    });
    if (!record.duplicate) {
      await enqueueIngest(this.opts.queues, record.imageryId, this.opts.storage.source(id));
      return record;
    }
    await this.opts.storage.removeFinished(id);
    // The first upload may have been recorded while Redis was away; the job id makes this a no-op otherwise.
    const first = await findOriginalUpload(this.opts.db, record.imageryId);
    const img = await findImageryStatus(this.opts.db, record.imageryId);
    if (first && img?.status === 'uploaded') await enqueueIngest(this.opts.queues, record.imageryId, this.opts.storage.source(first.id));
    return record;
  }

  /** The item of this file when its ingest failed for good (its job cleared), so an upload of it retries. */
  private async failedForGood(sha256: string): Promise<number | undefined> {
    const img = await findImageryStatusBySha(this.opts.db, sha256);
    if (img?.status !== 'failed') return undefined;
    return (await clearFailedIngest(this.opts.queues, img.id)) ? img.id : undefined;
  }
}

/** Owners touch their uploads; admins any. */
export function mayTouch(user: User, ownerId: string | null | undefined): boolean {
  return user.role === 'admin' || ownerId === String(user.id);
}
