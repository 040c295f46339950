// Tile pyramids in an object store (S3), where nothing can be renamed: each pyramid is written under a fresh
// version prefix, `tiles/<item>/<version>/{z}/{x}/{y}.<ext>`, and published by switching the item's pointer
// row in PostgreSQL (tile_pyramids); the version it replaced is deleted after the switch.
//
// A reader remembers an item's pointer for POINTER_TTL_MS from the moment it asked, and trusts it for that long
// for tiles found and tiles missing alike: a missing tile costs no second look-up (the edge of a mixed-format
// pyramid is PNG, so each of its tiles is first missed as JPEG, and windows reach past the imagery). That holds
// because a replaced version is deleted only once every reader's trust in it has lapsed: publish() waits
// POINTER_TTL_MS + REPLACED_GRACE_MS after the switch. So a reader sees the old pyramid whole or the new one
// whole, the new one at the latest POINTER_TTL_MS after the switch and at once when it starts after publish()
// has returned.
//
// Each version carries an index of its tiles (tile-index.ts), written before the switch; a reader loads it once
// per version and answers tiles it lacks without a request. Versions written before there were indexes have none,
// and are read as before.
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { deletePublishedPyramid, findPublishedPyramid, publishPyramid } from '../db/tile-pyramids.js';
import type { Queryable } from '../db/pool.js';
import type { ObjectStore } from '../storage/object-store.js';
import { TILE_INDEX_FILE, TileIndex, TileIndexBuilder } from './tile-index.js';
import { checkItem, SAFE_NAME, type PyramidWriter, type TileKey, type TileStore } from './tile-store.js';

/** How long a reader trusts the pointer it looked up, counted from when it asked. */
export const POINTER_TTL_MS = 5000;
/** Beyond the readers' trust, for a look-up's time on the wire and clocks that run a little apart. */
const REPLACED_GRACE_MS = 1000;
/** Memory for the tile indexes of recently read versions (one byte per tile of each zoom's range). */
const INDEX_CACHE_BYTES = 64 << 20;

interface Pointer {
  version: string;
  /** performance.now() when the look-up was sent: the version it found was still the published one then or later. */
  at: number;
}

interface IndexEntry {
  index: Promise<TileIndex | null>;
  /** counted once loaded */
  bytes: number;
}

export class ObjectTileStore implements TileStore {
  private readonly pointers = new Map<string, Pointer>();
  private readonly asking = new Map<string, Promise<Pointer | null>>();
  /** By `item@version`, most recently used last; a version's index never changes. */
  private readonly indexes = new Map<string, IndexEntry>();
  private indexBytes = 0;
  private readonly ttlMs: number;

  /** `pointerTtlMs` is for tests only: every process that reads or writes a store must use the same. */
  constructor(
    private readonly objects: ObjectStore,
    private readonly db: Queryable,
    options: { pointerTtlMs?: number } = {},
  ) {
    this.ttlMs = options.pointerTtlMs ?? POINTER_TTL_MS;
  }

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
    const index = new TileIndexBuilder();
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
        index.add({ z, x, y }, tileExt);
        await track(this.objects.put(`${dir}${z}/${x}/${y}.${tileExt}`, data));
      },
      putFile: async (name, data) => {
        if (!SAFE_NAME.test(name)) throw new Error(`bad file name: ${name}`);
        await track(this.objects.put(`${dir}${name}`, data));
      },
      publish: async () => {
        const encoded = index.encode();
        if (encoded) await this.objects.put(`${dir}${TILE_INDEX_FILE}`, encoded);
        const old = await publishPyramid(this.db, item, version);
        this.pointers.set(item, { version, at: performance.now() });
        if (!old || old === version) return;
        // Readers that looked the old version up just before the switch read it until their trust lapses.
        await sleep(this.ttlMs + REPLACED_GRACE_MS);
        await this.objects.removePrefix(`${this.base(item)}${old}/`);
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

  private pointer(item: string): Promise<Pointer | null> {
    const cached = this.pointers.get(item);
    if (cached && performance.now() - cached.at < this.ttlMs) return Promise.resolve(cached);
    // Reads that find the pointer out of date together share one look-up.
    let asking = this.asking.get(item);
    if (!asking) {
      asking = this.lookUp(item).finally(() => this.asking.delete(item));
      this.asking.set(item, asking);
    }
    return asking;
  }

  private async lookUp(item: string): Promise<Pointer | null> {
    const at = performance.now();
    const version = await findPublishedPyramid(this.db, item);
    // What this process learnt later (its own publish) is kept. Only a published pointer is remembered: an item
    // published a moment later must be seen at once.
    const known = this.pointers.get(item);
    const newer = !known || known.at <= at;
    if (version === null) {
      if (newer) this.pointers.delete(item);
      return null;
    }
    const found = { version, at };
    if (newer) this.pointers.set(item, found);
    return found;
  }

  /**
   * Reads a file of the published pyramid. A miss is the answer while the pointer is trusted; one that comes back
   * after the trust lapsed (a slow store) may be a replaced version being deleted, so the pointer is asked again.
   */
  private async read(item: string, path: string, tile?: { key: TileKey; ext: string }): Promise<Buffer | null> {
    checkItem(item);
    for (let attempt = 1; ; attempt++) {
      const pointer = await this.pointer(item);
      if (pointer === null) return null;
      if (tile) {
        const index = await this.index(item, pointer.version);
        if (index && !index.has(tile.key, tile.ext)) return null;
      }
      const data = await this.objects.get(`${this.base(item)}${pointer.version}/${path}`);
      if (data || attempt === 2 || performance.now() - pointer.at < this.ttlMs) return data;
    }
  }

  get(item: string, key: TileKey, ext: string): Promise<Buffer | null> {
    return this.read(item, `${key.z}/${key.x}/${key.y}.${ext}`, { key, ext });
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

  /** A version's tile index; null where it has none (written before indexes, or too sparse) or it was deleted. */
  private index(item: string, version: string): Promise<TileIndex | null> {
    const id = `${item}@${version}`;
    const cached = this.indexes.get(id);
    if (cached) {
      this.indexes.delete(id);
      this.indexes.set(id, cached);
      return cached.index;
    }
    const key = `${this.base(item)}${version}/${TILE_INDEX_FILE}`;
    const entry: IndexEntry = { bytes: 0, index: Promise.resolve(null) };
    entry.index = this.objects.get(key).then((data) => {
      if (!data) return null;
      let decoded: TileIndex;
      try {
        decoded = TileIndex.decode(data);
      } catch (err) {
        throw new Error(`the tile index ${key} is damaged: ${(err as Error).message}`);
      }
      if (this.indexes.get(id) === entry) {
        entry.bytes = decoded.bytes;
        this.indexBytes += entry.bytes;
        this.evictIndexes();
      }
      return decoded;
    });
    // A failed read is not remembered: the next tile asks again.
    entry.index.catch(() => {
      if (this.indexes.get(id) === entry) this.indexes.delete(id);
    });
    this.indexes.set(id, entry);
    return entry.index;
  }

  /** Forgets the least recently used indexes beyond the memory budget. */
  private evictIndexes(): void {
    for (const [id, entry] of this.indexes) {
      if (this.indexBytes <= INDEX_CACHE_BYTES || this.indexes.size <= 1) return;
      this.indexes.delete(id);
      this.indexBytes -= entry.bytes;
    }
  }
}
