// A chosen set of re-fly suggestions as GeoJSON, KML (any GIS or Google Earth) and a DJI WPML KMZ.
import type { ReflySuggestion } from '../db/refly.js';
import type { MappingParams } from './wayline.js';
import { waylineKmz } from './wpml.js';

const KIND_ZH: Record<ReflySuggestion['kind'], string> = {
  rebuild_watch: '拆除回访',
  field_check: '待核查',
  villa_unseen: '别墅本月未拍',
  stale_cell: '影像陈旧',
};

/** A short Chinese label naming the suggestion (file names, KML placemarks, DJI Pilot 2's area names). */
export function suggestionLabel(s: ReflySuggestion): string {
  const about =
    s.kind === 'rebuild_watch' ? s.params.caseNo
      : s.kind === 'field_check' ? `图斑 #${s.params.candidateId}`
        : s.kind === 'villa_unseen' ? s.params.name
          : `网格 ${s.params.cell}`;
  return `#${s.id} ${KIND_ZH[s.kind]} ${about ?? ''}`.trim();
}

export function suggestionsGeoJson(list: ReflySuggestion[]): GeoJSON.FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: list.map((s) => ({
      type: 'Feature',
      id: s.id,
      geometry: s.geometry,
      properties: {
        id: s.id, rank: s.rank, kind: s.kind, label: suggestionLabel(s), streetCode: s.streetCode, streetName: s.streetName,
        areaM2: s.areaM2, needsAfter: s.needsAfter, status: s.status, ...Object.fromEntries(Object.entries(s.params).map(([k, v]) => [`reason_${k}`, v])),
      },
    })),
  };
}

const escapeXml = (s: string) => s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
const ring = (r: GeoJSON.Position[]) => r.map(([x, y]) => `${x},${y},0`).join(' ');

export function suggestionsKml(list: ReflySuggestion[], title: string): string {
  const placemarks = list.map((s) => {
    const polygons = s.geometry.coordinates.map(
      (poly) => `<Polygon><outerBoundaryIs><LinearRing><coordinates>${ring(poly[0]!)}</coordinates></LinearRing></outerBoundaryIs>${poly
        .slice(1)
        .map((h) => `<innerBoundaryIs><LinearRing><coordinates>${ring(h)}</coordinates></LinearRing></innerBoundaryIs>`)
        .join('')}</Polygon>`,
    );
    return `    <Placemark>
      <name>${escapeXml(suggestionLabel(s))}</name>
      <description>${escapeXml(`${s.streetName ?? ''} · ${s.areaM2} m²`)}</description>
      <styleUrl>#refly</styleUrl>
      <MultiGeometry>${polygons.join('')}</MultiGeometry>
    </Placemark>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2">
  <Document>
    <name>${escapeXml(title)}</name>
    <Style id="refly"><LineStyle><color>ff0066ff</color><width>2</width></LineStyle><PolyStyle><color>330066ff</color></PolyStyle></Style>
${placemarks.join('\n')}
  </Document>
</kml>
`;
}

export function suggestionsKmz(list: ReflySuggestion[], p: MappingParams, createdAt: Date, author: string): Promise<Buffer> {
  return waylineKmz(list.map((s) => ({ name: suggestionLabel(s), geometry: s.geometry })), p, createdAt, author);
}
