import { Upload, type DetailedError } from 'tus-js-client';
import type { ImageryStatus, UploadKind } from '../domain';
import { request } from '../api';
import { SpeedMeter } from './speed';

export type Phase = 'uploading' | 'retrying' | 'paused' | 'finishing' | 'done' | 'error';

export interface TaskState {
  key: string;
  fileName: string;
  size: number;
  sent: number;
  bytesPerSecond: number;
  phase: Phase;
  /** The server's message when phase is 'error'. */
  error: string | null;
  resumed: boolean;
  imageryId: number | null;
  duplicate: boolean;
  status: ImageryStatus | null;
}

export interface TaskMeta {
  kind: UploadKind;
  flightId: number | null;
  capturedAt: string | null;
}

// Retries after a dropped connection: quickly at first, then every minute for a quarter of an hour.
const RETRY_DELAYS_MS = [0, 1000, 3000, 5000, 10_000, 20_000, 30_000, ...Array<number>(15).fill(60_000)];
const CHUNK_BYTES = 50 * 1024 * 1024;

/** The server's own error message inside tus-js-client's wrapper, when there is one. */
export function serverMessage(err: Error): string {
  const body = (err as DetailedError).originalResponse?.getBody();
  if (body) {
    try {
      const parsed = JSON.parse(body) as { error?: { message?: string } };
      if (parsed.error?.message) return parsed.error.message;
    } catch {
      return body.trim() || err.message;
    }
  }
  return err.message;
}

/** One file's resumable upload; `onChange` gets a fresh state object on every change. */
export class UploadTask {
  private upload: Upload;
  private readonly meter = new SpeedMeter();
  state: TaskState;

  constructor(
    file: File,
    meta: TaskMeta,
    private readonly onChange: (s: TaskState) => void,
  ) {
    this.state = {
      key: `${file.name}-${file.size}-${file.lastModified}-${Math.random()}`,
      fileName: file.name,
      size: file.size,
      sent: 0,
      bytesPerSecond: Number.NaN,
      phase: 'uploading',
      error: null,
      resumed: false,
      imageryId: null,
      duplicate: false,
      status: null,
    };
    const metadata: Record<string, string> = { filename: file.name, filetype: file.type, kind: meta.kind };
    if (meta.flightId !== null) metadata.flightId = String(meta.flightId);
    if (meta.capturedAt) metadata.capturedAt = meta.capturedAt;
    this.upload = new Upload(file, {
      endpoint: '/api/uploads',
      metadata,
      chunkSize: CHUNK_BYTES,
      retryDelays: RETRY_DELAYS_MS,
      removeFingerprintOnSuccess: true,
      onProgress: (sent) => {
        this.meter.add(sent);
        this.set({ sent, bytesPerSecond: this.meter.bytesPerSecond, phase: 'uploading' });
      },
      onShouldRetry: (err) => {
        const status = (err as DetailedError).originalResponse?.getStatus() ?? 0;
        const retry = status === 0 || status >= 500 || status === 409 || status === 423;
        if (retry) {
          this.meter.reset();
          this.set({ phase: 'retrying', bytesPerSecond: Number.NaN });
        }
        return retry;
      },
      onSuccess: () => void this.finish(),
      onError: (err) => this.set({ phase: 'error', error: serverMessage(err) }),
    });
  }

  private set(patch: Partial<TaskState>): void {
    this.state = { ...this.state, ...patch };
    this.onChange(this.state);
  }

  /** Starts, continuing an earlier upload of the same file from this browser when there is one. */
  async start(): Promise<void> {
    const previous = await this.upload.findPreviousUploads();
    const last = previous.sort((a, b) => b.creationTime.localeCompare(a.creationTime))[0];
    if (last) {
      this.upload.resumeFromPreviousUpload(last);
      this.set({ resumed: true });
    }
    this.upload.start();
  }

  pause(): void {
    void this.upload.abort();
    this.meter.reset();
    this.set({ phase: 'paused', bytesPerSecond: Number.NaN });
  }

  resume(): void {
    this.set({ phase: 'uploading', error: null });
    this.upload.start();
  }

  private async finish(): Promise<void> {
    this.set({ phase: 'finishing', sent: this.state.size, bytesPerSecond: Number.NaN });
    try {
      const id = this.upload.url!.split('/').pop();
      const r = await request<{ imageryId: number | null; duplicate: boolean; status: ImageryStatus | 'uploading' }>(
        'GET',
        `/api/uploads/${id}`,
      );
      this.set({
        phase: 'done',
        imageryId: r.imageryId,
        duplicate: r.duplicate,
        status: r.status === 'uploading' ? null : r.status,
      });
    } catch (err) {
      this.set({ phase: 'error', error: err instanceof Error ? err.message : String(err) });
    }
  }
}
