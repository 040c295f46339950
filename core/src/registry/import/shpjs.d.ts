// The two parts of shpjs used here (the package ships no types).
declare module 'shpjs' {
  export function parseShp(shp: Uint8Array, prj?: string): unknown[];
  export function parseDbf(dbf: Uint8Array, cpg?: string): Record<string, unknown>[];
}
