/**
 * The in-process caches of the summary renderings (charts, PDFs), keyed by a hash of the exact input a rendering
 * reads: the renderings are pure functions of their input (the same input gives the same bytes, dates included),
 * so a hit is the fresh rendering. A new version of an episode renders every session's summary again though
 * most sessions did not change, and every submission of the same sessions (another episode id, a retry, the web
 * view after an ingest) draws the same charts: those hits skip echarts (about half of a summary's CPU) or the
 * whole PDF. Bounded (least recently used out first); keys are SHA-256 of the input's canonical JSON, so the
 * caches hold no patient data besides the renderings themselves; per process (each map thread has its own).
 */
import { canonicalHash } from '../canonical-json.js';

/** A bounded map, least recently used evicted first. */
export class RenderCache<V> {
  readonly #entries = new Map<string, V>();

  /** @param max - at most this many entries */
  constructor(readonly max: number) {}

  /**
   * The key of an input: SHA-256 (hex) of its canonical JSON.
   * @param input - what a rendering reads (JSON data)
   */
  key(input: unknown): string {
    return canonicalHash(input);
  }

  /**
   * The rendering kept under `key` (then the most recently used), if any.
   * @param key - {@link RenderCache.key} of the input
   */
  find(key: string): V | undefined {
    const hit = this.#entries.get(key);
    if (hit !== undefined) {
      // most recently used: to the end of the insertion order
      this.#entries.delete(key);
      this.#entries.set(key, hit);
    }
    return hit;
  }

  /**
   * Keeps a rendering (the least recently used one out when full).
   * @param key - {@link RenderCache.key} of its input
   * @param value - the rendering
   */
  keep(key: string, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    if (this.#entries.size > this.max) {
      this.#entries.delete(this.#entries.keys().next().value as string);
    }
  }

  /**
   * The cached rendering of `input`, else `render(input)`, kept.
   * @param input - what the rendering reads (JSON data)
   * @param render - the rendering (synchronous, pure)
   */
  get<I>(input: I, render: (input: I) => V): V {
    const key = this.key(input);
    const hit = this.find(key);
    if (hit !== undefined) {
      return hit;
    }
    const value = render(input);
    this.keep(key, value);
    return value;
  }

  /**
   * The cached bytes of `input`'s rendering, else `await render(input)`, kept; the caller always gets its own copy
   * (a Buffer it may change without touching the cache).
   * @param input - what the rendering reads (JSON data)
   * @param render - the rendering (pure)
   */
  async bytes<I>(this: RenderCache<Buffer>, input: I, render: (input: I) => Promise<Buffer>): Promise<Buffer> {
    const key = this.key(input);
    const hit = this.find(key);
    if (hit !== undefined) {
      return Buffer.from(hit);
    }
    const value = await render(input);
    this.keep(key, Buffer.from(value));
    return value;
  }

  /** How many entries are kept. */
  get size(): number {
    return this.#entries.size;
  }

  /** Forgets every entry. */
  clear(): void {
    this.#entries.clear();
  }
}

/** Every summary cache, for {@link clearRenderCaches}. */
const caches: RenderCache<unknown>[] = [];

/**
 * A new summary cache.
 * @param max - at most this many entries
 */
export function renderCache<V>(max: number): RenderCache<V> {
  const cache = new RenderCache<V>(max);
  caches.push(cache as RenderCache<unknown>);
  return cache;
}

/** Empties every summary cache (benches measuring a cold rendering; tests). */
export function clearRenderCaches(): void {
  for (const c of caches) {
    c.clear();
  }
}
