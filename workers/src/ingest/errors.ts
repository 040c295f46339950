import type { ErrorParams, ErrorRef } from '@tuban/core/errors';

/**
 * A problem with the input file itself: retrying cannot help, the pilot has to fix or replace the file. The
 * message is English (logs, scripts); `code` and `params` are stored with the item for the web to word.
 */
export class IngestInputError extends Error {
  override name = 'IngestInputError';
  readonly code: string;
  readonly params: ErrorParams;
  constructor(message: string, ref?: ErrorRef) {
    super(message);
    this.code = ref?.code ?? 'ingest_input';
    this.params = ref?.params ?? { message };
  }
}
