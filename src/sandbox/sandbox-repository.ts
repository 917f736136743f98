/**
 * The sandbox's store: Medplum's MemoryRepository made atomic. MemoryRepository (fhir-router 5.2)
 * runs `withTransaction(cb)` as a plain call, so a transaction Bundle whose 5th entry fails leaves
 * the first four written (measured). The sandbox serializes transactions and restores a snapshot
 * of the store when one fails, as a real EHR would (FHIR R4 http.html#transaction: all or nothing).
 * It also matches `identifier` searches itself: MemoryRepository finds nothing for a resource whose
 * identifier is a single Identifier (R4 AdverseEvent), so conditional updates of side effects
 * created a duplicate every time (measured).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { MemoryRepository } from '@medplum/fhir-router';
import type { Bundle, Identifier, Resource } from '@medplum/fhirtypes';
import type { SearchRequest, WithId } from '@medplum/core';

type Store = Map<string, Map<string, unknown>>;
type HistoryStore = Map<string, Map<string, unknown[]>>;
/** What a write inside a transaction replaced, to undo it on rollback. */
interface UndoEntry {
  type: string;
  id: string;
  previous: unknown;
  historyLength: number;
}
interface Internals {
  resources: Store;
  history: HistoryStore;
}

/** MemoryRepository with atomic, serialized transactions. */
export class SandboxRepository extends MemoryRepository {
  /**
   * When true, single conditional creates/updates (outside a transaction Bundle) are not
   * serialized: two at once for the same identifier both create, as HAPI, Microsoft's FHIR server
   * and Medplum have been reported to do (ARCHITECTURE.md, known frictions).
   */
  racyConditionalWrites = false;
  /** In racy mode, how long an identifier search takes: the window in which two writes both see none. */
  racyWindowMs = 50;
  private tail: Promise<void> = Promise.resolve();
  private readonly inside = new AsyncLocalStorage<UndoEntry[]>();

  /**
   * Runs `callback` as one transaction: one at a time, rolled back when it throws.
   * Re-entrant (a conditional update inside a transaction does not wait for itself).
   * @param callback - the work
   * @param options - the repository's transaction options (set by conditional create/update)
   * @returns what the callback returns
   */
  override async withTransaction<TResult>(callback: (repo: this) => Promise<TResult>, options?: unknown): Promise<TResult> {
    if (this.inside.getStore() || (this.racyConditionalWrites && options !== undefined)) {
      return callback(this);
    }
    const previous = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((resolve) => {
      release = resolve;
    });
    await previous;
    const undo: UndoEntry[] = [];
    try {
      return await this.inside.run(undo, () => callback(this));
    } catch (err) {
      this.rollback(undo);
      throw err;
    } finally {
      release();
    }
  }

  /**
   * Creates (or, with `update`, writes) a resource; inside a transaction the write is recorded
   * so that a rollback can undo it. MemoryRepository's updateResource comes through here too.
   */
  override async createResource<T extends Resource>(resource: T, options?: Parameters<MemoryRepository['createResource']>[1], update?: boolean): Promise<WithId<T>> {
    const undo = this.inside.getStore();
    if (undo && resource.id) {
      const { resources, history } = this.internals();
      undo.push({
        type: resource.resourceType,
        id: resource.id,
        previous: resources.get(resource.resourceType)?.get(resource.id),
        historyLength: history.get(resource.resourceType)?.get(resource.id)?.length ?? 0,
      });
    }
    return super.createResource(resource, options, update);
  }

  private rollback(undo: UndoEntry[]): void {
    const { resources, history } = this.internals();
    for (const u of undo.reverse()) {
      if (u.previous === undefined) {
        resources.get(u.type)?.delete(u.id);
      } else {
        resources.get(u.type)?.set(u.id, u.previous);
      }
      const h = history.get(u.type)?.get(u.id);
      if (h) {
        h.length = u.historyLength;
        if (!h.length) {
          history.get(u.type)?.delete(u.id);
        }
      }
    }
  }

  /**
   * Search, with `identifier` (token `system|value`, `|value` or `value`) matched here.
   * @param searchRequest - the search
   * @returns the result Bundle
   */
  override async search<T extends Resource>(searchRequest: SearchRequest<T>): Promise<Bundle<WithId<T>>> {
    const filters = searchRequest.filters ?? [];
    const idFilters = filters.filter((f) => f.code === 'identifier' && (f.operator as string) === 'eq');
    if (!idFilters.length) {
      return super.search(searchRequest);
    }
    const matches = (r: Resource, token: string): boolean => {
      const raw = (r as { identifier?: Identifier | Identifier[] }).identifier;
      const list = Array.isArray(raw) ? raw : raw ? [raw] : [];
      return token.split(',').some((t) => {
        const i = t.indexOf('|');
        const [system, value] = i < 0 ? [undefined, t] : [t.slice(0, i), t.slice(i + 1)];
        return list.some((id) => id.value === value && (system === undefined || (system === '' ? !id.system : id.system === system)));
      });
    };
    const others = filters.filter((f) => !idFilters.includes(f));
    const hit = (r: unknown): boolean => idFilters.every((f) => matches(r as Resource, f.value));
    // Only identifier filters (conditional create/update): scan the type's resources directly.
    const rest: Bundle<WithId<T>> = others.length
      ? await super.search({ ...searchRequest, filters: others, count: 1_000_000, offset: 0 })
      : {
          resourceType: 'Bundle',
          type: 'searchset',
          entry: [...(this.internals().resources.get(searchRequest.resourceType)?.values() ?? [])].filter(hit).map((r) => ({
            resource: structuredClone(r) as WithId<T>,
            search: { mode: 'match' as const },
          })),
        };
    const entry = (rest.entry ?? []).filter((e) => hit(e.resource));
    if (this.racyConditionalWrites && !this.inside.getStore()) {
      await new Promise((resolve) => setTimeout(resolve, this.racyWindowMs));
    }
    const offset = searchRequest.offset ?? 0;
    const count = searchRequest.count ?? 20;
    return { ...rest, entry: entry.slice(offset, offset + count), total: entry.length };
  }

  private internals(): Internals {
    return this as unknown as Internals;
  }
}
