// Tile pyramids in an object store (S3), where nothing can be renamed: each pyramid is written under a fresh
// version prefix, `tiles/<item>/<version>/{z}/{x}/{y}.<ext>`, and published by switching the item's pointer
// row in PostgreSQL (tile_pyramids); the version it replaced is deleted after the switch.
import { randomBytes } from 'node:crypto';
import { deletePublishedPyramid, findPublishedPyramid, publishPyramid } from '../db/tile-pyramids.js';
import type { Queryable } from '../db/pool.js';
import type { ObjectStore } from '../storage/object-store.js';
import { checkItem, SAFE_NAME, type PyramidWriter, type TileKey, type TileStore } from './tile-store.js';

/** How long a reader trusts the pointer it looked up; a tile missing under it makes it look again at once. */
const POINTER_TTL_MS = 5000;

export class ObjectTileStore implements TileStore {
  private readonly pointers = new Map<string, { version: string | null; at: number }>();

  constructor(
    private readonly objects: ObjectStore,
    private readonly db: Queryable,
  ) {}

  private base(item: string): string {
    return `tiles/${item}/`;
  }

  async begin(item: string, ext: string): Promise<PyramidWriter> {
    checkItem(item);
    const published = await findPublishedPyramid(this.db, item);
    await this.removeUnpublished(item, published);
    const version = `${Date.now().toString(36)}-${randomBytes(6).toString('hex')}`;
    const dir = `${this.base(item)}${version}/`;
    const writing = new Set<Promise<void>>();
    let discarded = false;
    const track = async (write: Promise<void>) => {
      writing.add(write);
      try {
        await write;
      } finally {
        writing.delete(write);
      }
    };
    return {
      put: async ({ z, x, y }, data, tileExt = ext) => {
        if (discarded) throw new Error(`the pyramid of ${item} was discarded`);
        await track(this.objects.put(`${dir}${z}/${x}/${y}.${tileExt}`, data));
      },
      putFile: async (name, data) => {
        if (!SAFE_NAME.test(name)) throw new Error(`bad file name: ${name}`);
        await track(this.objects.put(`${dir}${name}`, data));
      },
      publish: async () => {
        const old = await publishPyramid(this.db, item, version);
        this.pointers.set(item, { version, at: Date.now() });
        if (old && old !== version) await this.objects.removePrefix(`${this.base(item)}${old}/`);
      },
      discard: async () => {
        discarded = true;
        await Promise.allSettled(writing);
        await this.objects.removePrefix(dir);
      },
    };
  }

  /** Versions of an item other than the published one: an interrupted writer's leftovers. */
  private async removeUnpublished(item: string, published: string | null): Promise<void> {
    // Folders, not keys: a published pyramid of a large scene holds hundreds of thousands of tiles.
    for (const v of await this.objects.listFolders(this.base(item))) if (v !== published) await this.objects.removePrefix(`${this.base(item)}${v}/`);
  }

  private async pointer(item: string, fresh: boolean): Promise<string | null> {
    const cached = this.pointers.get(item);
    if (!fresh && cached && Date.now() - cached.at < POINTER_TTL_MS) return cached.version;
    const version = await findPublishedPyramid(this.db, item);
    // Only a published pointer is remembered: an item published a moment later must be seen at once.
    if (version === null) this.pointers.delete(item);
    else this.pointers.set(item, { version, at: Date.now() });
    return version;
  }

  /** Reads a file of the published pyramid; when it is missing under a remembered pointer, the pointer is looked up again. */
  private async read(item: string, path: string): Promise<Buffer | null> {
    checkItem(item);
    let version = await this.pointer(item, false);
    if (version === null) return null;
    const data = await this.objects.get(`${this.base(item)}${version}/${path}`);
    if (data) return data;
    const latest = await this.pointer(item, true);
    if (latest === null || latest === version) return null;
    version = latest;
    return this.objects.get(`${this.base(item)}${version}/${path}`);
  }

  get(item: string, { z, x, y }: TileKey, ext: string): Promise<Buffer | null> {
    return this.read(item, `${z}/${x}/${y}.${ext}`);
  }

  async getFile(item: string, name: string): Promise<Buffer | null> {
    if (!SAFE_NAME.test(name)) return null;
    return this.read(item, name);
  }

  async remove(item: string): Promise<void> {
    checkItem(item);
    await deletePublishedPyramid(this.db, item);
    this.pointers.delete(item);
    await this.objects.removePrefix(this.base(item));
  }
}
