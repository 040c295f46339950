// The package from inputs made here (no database): a long history still fits the one page, and the same inputs
// give the same ZIP while any change to them shows in the manifest.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import type { EvidenceEvent } from '../db/evidence-package.js';
import type { EvidenceInputs } from './gather.js';
import { buildEvidencePackage } from './package.js';

function inputs(events: number): EvidenceInputs {
  const history: EvidenceEvent[] = Array.from({ length: events }, (_, i) => ({
    at: new Date(Date.UTC(2026, 0, 1 + i)).toISOString(), source: 'candidate', subjectId: 7, actorName: `研判员${i}`, actorRole: 'office',
    action: 'decision', fromStatus: i % 2 ? 'dismissed' : 'new', toStatus: i % 2 ? 'new' : 'dismissed', reason: i % 2 ? null : 'false_positive',
    caseNo: null, note: `第 ${i + 1} 次`, undone: i % 2 === 0, isUndo: i % 2 === 1,
  }));
  return {
    subject: {
      kind: 'candidate', id: 7, caseNo: null, status: 'new', dismissReason: null, streetCode: '310107005', streetName: '曹杨新村街道',
      villaName: null, address: '', areaM2: 120.5, floorAreaM2: null, buildingType: null, scoreMax: 0.9, scoreMean: 0.7, modelVersion: '0.3.0',
      runId: 3, source: 'detection', rebuilt: false, createdAt: '2026-01-01T00:00:00.000Z', foundOn: null, deadline: null, fieldCheckDue: null,
      closedOn: null, areaRemovedM2: null, candidateIds: [7], registryItemId: null, beforeImageryId: null, afterImageryId: null,
      geometry: { type: 'MultiPolygon', coordinates: [[[[121.38, 31.25], [121.3801, 31.25], [121.3801, 31.2501], [121.38, 31.25]]]] },
    },
    before: null,
    after: null,
    dronePhotos: [],
    fieldPhotos: [],
    history,
    asOf: history.at(-1)?.at ?? '2026-01-01T00:00:00.000Z',
  };
}

function pdfInfo(pdf: Buffer): { text: string; pages: number } {
  const dir = mkdtempSync(join(tmpdir(), 'tuban-evidence-'));
  try {
    const file = join(dir, 'summary.pdf');
    writeFileSync(file, pdf);
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1]);
    return { text: execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }), pages };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('evidence package', () => {
  it('keeps a history of 120 decisions on one page, the latest shown and the rest pointed to', async () => {
    const zip = await JSZip.loadAsync((await buildEvidencePackage(inputs(120))).zip);
    const { text, pages } = pdfInfo(await zip.file('summary.pdf')!.async('nodebuffer'));
    expect(pages).toBe(1);
    expect(text).toContain('研判与处置记录（共 120 条）');
    expect(text).toContain('研判员119');
    expect(text).not.toContain('研判员0（');
    expect(text).toMatch(/较早的 \d+ 条见 history\.csv/);
    expect(text).toContain('前时相：无影像');
    const csv = await zip.file('history.csv')!.async('string');
    expect(csv.trim().split('\r\n')).toHaveLength(121);
  });

  it('gives the same bytes for the same inputs and a different manifest when one note changes', async () => {
    const a = await buildEvidencePackage(inputs(3));
    const b = await buildEvidencePackage(inputs(3));
    expect(b.zip.equals(a.zip)).toBe(true);
    const changed = inputs(3);
    changed.history[1]!.note = '改过的备注';
    expect((await buildEvidencePackage(changed)).manifestSha256).not.toBe(a.manifestSha256);
  });
});
