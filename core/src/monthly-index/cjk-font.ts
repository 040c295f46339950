import { existsSync, readFileSync } from 'node:fs';
import PDFDocument from 'pdfkit';

// Debian's fonts-wqy-zenhei first (what scripts/lib.sh installs), then other common CJK fonts.
const CANDIDATES: [string, string | undefined][] = [
  ['/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc', 'WenQuanYiZenHei'],
  ['/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', 'NotoSansCJKsc-Regular'],
  ['/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc', 'NotoSansCJKsc-Regular'],
  ['/usr/share/fonts/truetype/arphic/uming.ttc', 'AR-PL-UMing-CN'],
];

export interface CjkFont {
  path: string;
  /** the PostScript name of the face inside a .ttc collection */
  family: string | undefined;
}

/** A font with Chinese glyphs for the PDF report; `TUBAN_CJK_FONT` (a .ttf/.otf path) overrides the search. */
export function findCjkFont(env: NodeJS.ProcessEnv = process.env): CjkFont {
  const chosen = env.TUBAN_CJK_FONT;
  if (chosen) {
    if (!existsSync(chosen)) throw new Error(`TUBAN_CJK_FONT names ${chosen}, which does not exist`);
    return { path: chosen, family: undefined };
  }
  for (const [path, family] of CANDIDATES) if (existsSync(path)) return { path, family };
  throw new Error(
    'no Chinese font found for the PDF report: install Debian/Ubuntu fonts-wqy-zenhei (apt-get install fonts-wqy-zenhei) or set TUBAN_CJK_FONT',
  );
}

// The font file is large (≈17 MB for WenQuanYi Zen Hei): read it once per process.
let loaded: (CjkFont & { bytes: Buffer }) | undefined;

/** The CJK font with its bytes, for PDFKit's registerFont. */
export function loadCjkFont(): CjkFont & { bytes: Buffer } {
  const font = findCjkFont();
  if (loaded?.path !== font.path) loaded = { ...font, bytes: readFileSync(font.path) };
  return loaded;
}

/**
 * A new PDFKit document with the CJK font registered and selected as 'cjk', and the PDF's bytes once the caller
 * ends it. `options.info` should fix CreationDate/ModDate where the bytes must not depend on the clock.
 */
export function cjkPdf(options: PDFKit.PDFDocumentOptions): { doc: PDFKit.PDFDocument; bytes: Promise<Buffer> } {
  const font = loadCjkFont();
  const doc = new PDFDocument(options);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const bytes = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('cjk', font.bytes, font.family);
  doc.font('cjk');
  return { doc, bytes };
}
