/** A problem with the input file itself: retrying cannot help, the pilot has to fix or replace the file. */
export class IngestInputError extends Error {
  override name = 'IngestInputError';
}
