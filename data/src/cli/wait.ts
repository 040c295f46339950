// Waits for imagery to finish ingesting by polling GET /api/imagery/{id}.

export type ImageryStatus = 'uploaded' | 'ingesting' | 'ready' | 'failed';

export interface WaitOptions {
  baseUrl: string;
  token: string;
  intervalMs?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  /** Gives up after this many failed requests in a row (server away, not a failed ingest). */
  maxErrors?: number;
}

export interface FinalStatus {
  status: 'ready' | 'failed';
  error: string | null;
}

/** Resolves once the imagery is `ready` or `failed`; throws when the server cannot tell. */
export async function waitForImagery(id: number, opts: WaitOptions): Promise<FinalStatus> {
  const get = opts.fetch ?? fetch;
  const sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  const maxErrors = opts.maxErrors ?? 30;
  let errors = 0;
  for (;;) {
    let problem: string;
    try {
      const res = await get(`${opts.baseUrl}/api/imagery/${id}`, { headers: { authorization: `Bearer ${opts.token}` } });
      if (res.ok) {
        const body = (await res.json()) as { status: ImageryStatus; error?: string | null };
        if (body.status === 'ready' || body.status === 'failed') return { status: body.status, error: body.error ?? null };
        errors = 0;
        await sleep(opts.intervalMs ?? 2000);
        continue;
      }
      // Not worth retrying: the token or the id is wrong.
      if (res.status === 401 || res.status === 403 || res.status === 404) {
        throw new Error(`GET /api/imagery/${id} answered ${res.status}: ${await res.text()}`);
      }
      problem = `HTTP ${res.status}`;
    } catch (err) {
      if (err instanceof Error && err.message.startsWith('GET /api/imagery')) throw err;
      problem = err instanceof Error ? err.message : String(err);
    }
    if (++errors >= maxErrors) throw new Error(`gave up waiting for imagery ${id} after ${errors} failed requests: ${problem}`);
    await sleep(opts.intervalMs ?? 2000);
  }
}
