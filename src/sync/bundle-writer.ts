/**
 * Writes a Bundle's entries to a FHIR server so that "delivered" means verified, entry by entry:
 * - in dependency waves: an entry goes once every entry it references has a server id, its `urn:uuid`
 *   references rewritten to those ids (no server has to resolve references inside a batch; a cycle is
 *   broken by writing one entry without the references not yet known, then again with them);
 * - each wave as `batch` Bundles (every entry answers for itself), as atomic `transaction` Bundles where
 *   the target is configured atomic (a refused transaction is sent again as a batch to learn which entry;
 *   one refused for its size — too many entries, too many updates, 413 — is halved, and the smaller size
 *   kept for the rest of the write), or entry by entry where the server has neither;
 * - every entry's outcome checked: 2xx written (its `Type/id` recorded at once, so a retried job resumes
 *   from what is not yet confirmed); 429/5xx/408/409 retried for that entry; other 4xx refused with a
 *   redacted reason; an answer that does not account for every entry (empty `return=minimal` body,
 *   missing entries, a timeout) is checked by reading each entry back by its key.
 * Entries already at the server with the same content (the written cache) are not sent again. "The same
 * content" is what would be sent now — the resource with its references as server ids — so an entry whose
 * reference target was written again under a new id (re-created after it went missing at the server) is
 * sent again with the new reference; that is why an entry is compared once the entries it references are
 * settled, wave by wave, not up front.
 */
import { resolveId } from '@medplum/core';
import type { Bundle, BundleEntry, Identifier, OperationOutcome, Resource } from '@medplum/fhirtypes';
import { parseLiteralReference } from '../literal-reference.js';
import { contentHash } from './content-hash.js';
import { walkReferences } from './entry-references.js';
import { entryState, isKeyRace, redactedReason, type EntryResult } from './entry-outcome.js';
import { DeliveryError, deliveryErrorFromStatus } from './errors.js';
import { differingPaths } from './resource-diff.js';
import type { KeyedEntry, WriteKey } from './write-keys.js';

/** How entries are sent. */
export type WriteMode = 'batch' | 'transaction' | 'one-by-one';

/** One request's answer as the writer needs it. */
export interface SentBundle {
  status: number;
  /** The response Bundle, or undefined for an empty body. */
  bundle?: Bundle;
  /** The OperationOutcome of a request refused as a whole. */
  outcome?: OperationOutcome;
  retryAfterMs?: number;
}

/** A single write's answer. */
export interface SentEntry {
  status: number;
  location?: string;
  outcome?: OperationOutcome;
  retryAfterMs?: number;
}

/** The server operations the writer uses (FhirTarget implements them). */
export interface ServerIo {
  /**
   * Sends a batch or transaction Bundle (with the source Bundle's identifier, for the server's logs);
   * throws DeliveryError for network errors and timeouts.
   */
  sendBundle(type: 'batch' | 'transaction', entries: BundleEntry[], timeoutMs: number, identifier?: Identifier): Promise<SentBundle>;
  /** One conditional update (`url` = `Type?param=…`) or an update by id (`url` = `Type/id`). */
  put(url: string, resource: Resource, timeoutMs: number): Promise<SentEntry>;
  /** The resources found by a key. */
  findByKey(key: WriteKey): Promise<Resource[]>;
}

/** Where confirmed writes are recorded (the engine's written cache). */
export interface WrittenCache {
  /**
   * Location and content hash already at the server, per key token: the hash of the resource as written
   * ({@link writtenHash}: references as server ids, no id).
   */
  known: ReadonlyMap<string, { location: string; hash: string }>;
  /** Records confirmed writes (called after every wave, so progress survives a failure). */
  record(entries: { token: string; location: string; hash: string }[]): Promise<void>;
}

/** Writer settings. */
export interface WriterOptions {
  mode: WriteMode;
  /** Entries per Bundle. */
  maxEntries: number;
  /** Base timeout per request, and what each entry adds to it. */
  timeoutMs: number;
  timeoutPerEntryMs: number;
  /** The source Bundle's identifier, sent with every request Bundle. */
  identifier?: Identifier;
}

/** What a write did. */
export interface WriteReport {
  mode: WriteMode;
  /** Per entry, in Bundle order: written (this time or already), with its location. */
  results: EntryResult[];
  /** Entries already at the server with this content (not sent). */
  unchanged: number;
  /** Requests made. */
  requests: number;
}

/**
 * The hash the written cache keeps for a resource as written: its content with references as server ids,
 * without `id` (a second write by id of a cycle's entry hashes as the same content).
 * @param sent - the resource as sent
 */
export function writtenHash(sent: Resource): string {
  const { id: _id, ...content } = sent as Resource & { id?: string };
  return contentHash(content);
}

/** The `urn:uuid` references of a resource that point at other entries of the Bundle. */
function entryRefs(resource: Resource, urls: ReadonlySet<string>): string[] {
  const out: string[] = [];
  walkReferences(resource, (r) => {
    if (r.reference && urls.has(r.reference)) {
      out.push(r.reference);
    }
  });
  return out;
}

/**
 * A copy of a resource with its entry references replaced by server ids; references not yet known are
 * dropped (and emptied arrays removed) when `drop`, so the copy is valid to write now.
 * @param resource - the resource as mapped (`urn:uuid` references)
 * @param ids - fullUrl → `Type/id`
 * @param drop - drop the references not known
 */
export function resolved(resource: Resource, ids: ReadonlyMap<string, string>, drop: boolean): Resource {
  const copy = structuredClone(resource);
  const removals: { parent: unknown; key: string | number }[] = [];
  walkReferences(copy, (ref, parent, key) => {
    const id = ref.reference ? ids.get(ref.reference) : undefined;
    if (id) {
      ref.reference = id;
    } else if (drop && ref.reference?.startsWith('urn:uuid:')) {
      removals.push({ parent, key });
    }
  });
  for (const { parent, key } of removals.reverse()) {
    if (Array.isArray(parent)) {
      parent.splice(key as number, 1);
    } else if (parent && typeof parent === 'object') {
      delete (parent as Record<string, unknown>)[key as string];
    }
  }
  const prune = (v: unknown): void => {
    if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        if (Array.isArray(x) && x.length === 0 && !Array.isArray(v)) {
          delete (v as Record<string, unknown>)[k];
        } else {
          prune(x);
        }
      }
    }
  };
  if (removals.length) {
    prune(copy);
  }
  return copy;
}

/** A request answered as a whole with an error: network-level failures keep their HTTP meaning. */
function requestError(answer: SentBundle | SentEntry): DeliveryError {
  return deliveryErrorFromStatus(answer.status, answer);
}

/**
 * Whether a transaction was refused for its size: 413, or the server's own limits — Medplum's "Transaction
 * requires strict isolation but has too many entries" (a conditional entry: at most 8) and "Transaction
 * contains more update operations than allowed" (at most 50 updates, conditional ones included).
 */
function tooLarge(answer: SentBundle): boolean {
  const text = (answer.outcome?.issue ?? []).map((i) => `${i.details?.text ?? ''} ${i.diagnostics ?? ''}`).join(' ');
  return answer.status === 413 || /too many entries|more \w+ operations than allowed|too many (?:operations|resources)/i.test(text);
}

/** Whether an error leaves the server's state in doubt (the request may have been processed). */
function inDoubt(err: unknown): boolean {
  return err instanceof DeliveryError && (err.code === 'timeout' || err.code.startsWith('network'));
}

/** `Type/id` of a location or an entry response (history and base URL removed). */
export function locationOf(location: string | undefined, resource?: Resource): string | undefined {
  const named = location ? parseLiteralReference(location) : undefined;
  if (named) {
    return `${named[0]}/${named[1]}`;
  }
  return resource?.id ? `${resource.resourceType}/${resource.id}` : undefined;
}

/**
 * Writes keyed entries.
 * @param entries - the Bundle's entries, keyed for the server
 * @param io - the server
 * @param cache - what is already there, and where confirmed writes go
 * @param options - mode, chunk size, timeouts
 * @returns the report (every entry written)
 * @throws DeliveryError: `retry` / `rate-limited` when some entries must be sent again (those confirmed
 *   are recorded), `rejected` (`entry-refused`, with `entries`) when the server refused an entry
 */
export async function writeEntries(entries: readonly KeyedEntry[], io: ServerIo, cache: WrittenCache, options: WriterOptions): Promise<WriteReport> {
  const urls = new Set(entries.map((e) => e.fullUrl));
  /** fullUrl → `Type/id`: settled in this write, or known from the written cache (used to break a cycle). */
  const ids = new Map<string, string>();
  /** Entries whose server id is final for this write (written now, or unchanged): their dependents can go. */
  const settled = new Set<string>();
  const results = new Map<number, EntryResult>();
  let unchanged = 0;
  let requests = 0;
  for (const e of entries) {
    const known = cache.known.get(e.token);
    if (known) {
      // Its server id is known (written before).
      ids.set(e.fullUrl, known.location);
    }
  }
  const deps = new Map(entries.map((e) => [e, entryRefs(e.resource, urls).filter((u) => u !== e.fullUrl)]));
  const deferred: KeyedEntry[] = [];
  const failures: EntryResult[] = [];
  let retryAfterMs: number | undefined;

  // Entries per request: maxEntries, halved for good when the server refuses a transaction as too large.
  let chunkSize = options.maxEntries;
  const timeoutFor = (n: number): number => options.timeoutMs + n * options.timeoutPerEntryMs;
  const confirm = async (written: { entry: KeyedEntry; location: string; sent: Resource }[], partial: ReadonlySet<KeyedEntry>): Promise<void> => {
    for (const { entry, location } of written) {
      ids.set(entry.fullUrl, location);
      settled.add(entry.fullUrl);
      results.set(entry.index, { index: entry.index, resourceType: entry.key.resourceType, state: 'written', status: 200, location });
    }
    // An entry written without some of its references is recorded only after its second write.
    await cache.record(
      written.filter((w) => !partial.has(w.entry)).map((w) => ({ token: w.entry.token, location: w.location, hash: writtenHash(w.sent) }))
    );
  };
  const fail = (entry: KeyedEntry, answered: number, outcome: OperationOutcome | undefined, sent: Resource, after?: number): void => {
    const status = isKeyRace(answered, outcome, sent) ? 409 : answered;
    const state = entryState(status);
    const r: EntryResult = {
      index: entry.index,
      resourceType: entry.key.resourceType,
      state,
      status,
      ...(outcome ? { reason: redactedReason(outcome, sent) } : {}),
    };
    results.set(entry.index, r);
    failures.push(r);
    if (status === 429) {
      retryAfterMs = Math.max(retryAfterMs ?? 0, after ?? 1000);
    }
  };

  /** Reads entries back by key: each found once with what was sent is written; the others are not. */
  const readBack = async (wave: { entry: KeyedEntry; sent: Resource }[]): Promise<void> => {
    const written: { entry: KeyedEntry; location: string; sent: Resource }[] = [];
    for (const { entry, sent } of wave) {
      const found = await io.findByKey(entry.key);
      requests += 1;
      if (found.length > 1) {
        fail(entry, 412, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'duplicate', diagnostics: 'More than one resource at the target carries this key' }] }, sent);
      } else if (found.length === 1 && differingPaths(sent, found[0]).length === 0) {
        written.push({ entry, location: `${found[0].resourceType}/${found[0].id}`, sent });
      } else {
        fail(entry, 0, undefined, sent);
      }
    }
    await confirm(written, new Set(deferred));
  };

  /** Sends one chunk; records what it wrote and what failed. */
  const sendChunk = async (chunk: { entry: KeyedEntry; sent: Resource }[], type: 'batch' | 'transaction'): Promise<void> => {
    const body: BundleEntry[] = chunk.map(({ entry, sent }) => ({ fullUrl: entry.fullUrl, resource: sent, request: { method: 'PUT', url: entry.url } }));
    let answer: SentBundle;
    try {
      requests += 1;
      answer = await io.sendBundle(type, body, timeoutFor(chunk.length), options.identifier);
    } catch (err) {
      if (inDoubt(err)) {
        // A timeout or a connection lost: the server may have written some or all of it. Look before
        // anything is sent again (what is not there is sent on the next attempt).
        await readBack(chunk);
        return;
      }
      throw err;
    }
    if (answer.status >= 300 || !answer.bundle) {
      if (answer.status >= 400 && answer.status !== 429 && answer.status < 500 && type === 'transaction') {
        // Refused as a whole (atomic): too large → smaller chunks, for the rest of this write too (the
        // server's limit does not change between waves); otherwise learn which entry as a batch.
        if (tooLarge(answer) && chunk.length > 1) {
          chunkSize = Math.min(chunkSize, Math.ceil(chunk.length / 2));
          for (let i = 0; i < chunk.length && failures.length === 0; ) {
            const size = chunkSize; // a part refused again lowers chunkSize: advance by what was sent
            await sendChunk(chunk.slice(i, i + size), 'transaction');
            i += size;
          }
          return;
        }
        await sendChunk(chunk, 'batch');
        return;
      }
      if (answer.status >= 300) {
        // The request as a whole failed (nothing of it was processed): a 5xx, a 429, a 4xx.
        throw requestError(answer);
      }
      // 2xx without a body (Prefer: return=minimal on some servers): verify at the server.
      await readBack(chunk);
      return;
    }
    const responses = answer.bundle.entry ?? [];
    const written: { entry: KeyedEntry; location: string; sent: Resource }[] = [];
    const unaccounted: { entry: KeyedEntry; sent: Resource }[] = [];
    chunk.forEach(({ entry, sent }, i) => {
      const r = responses[i]?.response;
      const status = Number(/^\d+/.exec(r?.status ?? '')?.[0] ?? 0);
      const location = locationOf(r?.location, responses[i]?.resource);
      if (!r || status === 0) {
        unaccounted.push({ entry, sent });
      } else if (status >= 200 && status < 300) {
        if (location) {
          written.push({ entry, location, sent });
        } else {
          unaccounted.push({ entry, sent });
        }
      } else {
        fail(entry, status, r.outcome as OperationOutcome | undefined, sent, answer.retryAfterMs);
      }
    });
    await confirm(written, new Set(deferred));
    if (unaccounted.length) {
      await readBack(unaccounted);
    }
  };

  const sendOne = async (entry: KeyedEntry, sent: Resource, url: string): Promise<void> => {
    let answer: SentEntry;
    try {
      requests += 1;
      answer = await io.put(url, sent, timeoutFor(1));
    } catch (err) {
      if (inDoubt(err)) {
        await readBack([{ entry, sent }]);
        return;
      }
      throw err;
    }
    if (answer.status >= 200 && answer.status < 300) {
      if (answer.location) {
        await confirm([{ entry, location: answer.location, sent }], new Set(deferred));
      } else {
        await readBack([{ entry, sent }]);
      }
    } else if (answer.status === 429 || answer.status === 408 || answer.status >= 500) {
      throw requestError(answer);
    } else {
      fail(entry, answer.status, answer.outcome, sent, answer.retryAfterMs);
    }
  };

  // Dependency waves: an entry is ready once every entry it references is settled; then it is compared
  // with the written cache as it would be sent now (unchanged: not sent), or sent. The one dependency sort
  // of the sync engine. Medplum's `reorderBundle` cannot stand in: it gives one flat order, not the set of
  // entries ready once the server has confirmed the previous ones (what a wave sends, and what a failure
  // or the written cache changes), and it breaks a cycle by a POST then a PUT of the same entry, a create
  // the target could duplicate, where an entry here is only ever a conditional update or a PUT by server id.
  let left = [...entries];
  while (left.length && failures.length === 0) {
    let ready = left.filter((e) => (deps.get(e) ?? []).every((u) => settled.has(u)));
    if (ready.length === 0) {
      // A cycle: an entry already at the server is taken as settled where it is (its dependents go
      // first, it is compared or sent after them); otherwise the earliest entry goes first without the
      // references not yet known, and again by id with all of them at the end.
      const atServer = left.find((e) => ids.has(e.fullUrl) && !settled.has(e.fullUrl));
      if (atServer) {
        settled.add(atServer.fullUrl);
        continue;
      }
      ready = [left[0]];
      deferred.push(left[0]);
    }
    const wave: { entry: KeyedEntry; sent: Resource }[] = [];
    for (const entry of ready) {
      const sent = resolved(entry.resource, ids, true);
      const known = cache.known.get(entry.token);
      if (known && !deferred.includes(entry) && known.hash === writtenHash(sent)) {
        unchanged += 1;
        settled.add(entry.fullUrl);
        results.set(entry.index, { index: entry.index, resourceType: entry.key.resourceType, state: 'written', status: 200, location: known.location });
      } else {
        wave.push({ entry, sent });
      }
    }
    if (options.mode === 'one-by-one') {
      for (const { entry, sent } of wave) {
        await sendOne(entry, sent, entry.url);
        if (failures.length) {
          break;
        }
      }
    } else {
      for (let i = 0; i < wave.length && failures.length === 0; ) {
        const size = chunkSize;
        await sendChunk(wave.slice(i, i + size), options.mode === 'transaction' ? 'transaction' : 'batch');
        i += size;
      }
    }
    const done = new Set(ready.filter((e) => results.get(e.index)?.state === 'written'));
    left = left.filter((e) => !done.has(e));
  }
  // Second writes: the entries a cycle wrote without some references, now by id with all of them.
  for (const entry of deferred) {
    if (failures.length) {
      break;
    }
    const location = ids.get(entry.fullUrl) as string;
    const complete = resolved(entry.resource, ids, false);
    await sendOne(entry, { ...complete, id: resolveId({ reference: location }) }, location);
    if (!failures.length) {
      await cache.record([{ token: entry.token, location, hash: writtenHash(complete) }]);
    }
  }
  if (failures.length) {
    const refused = failures.filter((f) => f.state === 'rejected');
    // The code names the first entry's status (as a request's would); `entries` lists every one.
    if (refused.length) {
      throw new DeliveryError('rejected', `http-${refused[0].status}`, { status: refused[0].status, entries: refused });
    }
    if (retryAfterMs !== undefined) {
      throw new DeliveryError('rate-limited', 'http-429', { status: 429, retryAfterMs, entries: failures });
    }
    const status = failures.find((f) => f.status)?.status;
    throw new DeliveryError('retry', status ? `http-${status}` : 'unconfirmed', { status, entries: failures });
  }
  return {
    mode: options.mode,
    results: entries.map((e) => results.get(e.index) as EntryResult),
    unchanged,
    requests,
  };
}
