// Names for the API's shapes, taken from the types generated from the server's OpenAPI document
// (api-types.gen.ts, `npm run gen:api`); nothing here is written out by hand.
import type { components, paths } from './api-types.gen';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type JsonOf<R> = R extends { content: { 'application/json': infer T } } ? T : never;
type Operation<P extends keyof paths, M extends Method> = NonNullable<paths[P][M]>;

/** The JSON body of a route's answer with status S (200 unless said). */
export type ApiResponse<P extends keyof paths, M extends Method = 'get', S extends number = 200> = JsonOf<
  Operation<P, M> extends { responses: infer R } ? (S extends keyof R ? R[S] : never) : never
>;

/** The JSON body a route takes. */
export type ApiBody<P extends keyof paths, M extends Method = 'post'> = JsonOf<
  Operation<P, M> extends { requestBody?: infer B } ? NonNullable<B> : never
>;

export type Schema<N extends keyof components['schemas']> = components['schemas'][N];
export { CONTRACT_ENUMS, CONTRACT_TRANSITIONS } from './api-types.gen';
