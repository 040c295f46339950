// The database pool and file folder the export handlers use: made from the configuration on first use,
// or set by a test that works in a schema and folder of its own.
import { loadConfig } from '@tuban/core/config';
import { createPool, type Pool } from '@tuban/core/db/pool';

export interface ExportContext {
  db: Pool;
  dataDir: string;
}

let context: ExportContext | undefined;

export function setExportContext(c: ExportContext | undefined): void {
  context = c;
}

export function exportContext(): ExportContext {
  if (!context) {
    const config = loadConfig();
    context = { db: createPool(config.DATABASE_URL, { max: 4 }), dataDir: config.DATA_DIR };
  }
  return context;
}
