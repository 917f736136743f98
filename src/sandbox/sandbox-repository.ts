/**
 * The sandbox's store: Medplum's MemoryRepository made atomic. MemoryRepository (fhir-router 5.2)
 * runs `withTransaction(cb)` as a plain call, so a transaction Bundle whose 5th entry fails leaves
 * the first four written (measured). The sandbox serializes transactions and restores a snapshot
 * of the store when one fails, as a real EHR would (FHIR R4 http.html#transaction: all or nothing).
 * It also matches `identifier` searches itself: MemoryRepository finds nothing for a resource whose
 * identifier is a single Identifier (R4 AdverseEvent), so conditional updates of side effects
 * created a duplicate every time (measured).
 *
 * Strict mode (strict.ts) adds, for requests that come over HTTP (`runRequest`), the real server's
 * search parameter check, server-assigned UUID ids and the per-client quota; in-process calls
 * (tests seeding or inspecting the store) stay lenient.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { MemoryRepository } from '@medplum/fhir-router';
import type { Bundle, Identifier, OperationOutcome, Resource } from '@medplum/fhirtypes';
import {
  allOk,
  badRequest,
  created,
  isUUID,
  multipleMatches,
  notFound,
  OperationOutcomeError,
  type SearchRequest,
  type WithId,
} from '@medplum/core';
import { QuotaExceededError, type FhirQuota, type QuotaCosts, type QuotaState } from './quota.js';
import { checkSearchParameters, type SearchParameterRegistry } from './search-parameters.js';

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

/** The strict rules the repository enforces (sandbox.ts sets them from the `strict` option). */
export interface StrictRepositoryRules {
  /** Unknown search parameters → 400 (undefined: not checked). */
  searchParameters?: SearchParameterRegistry;
  /** Server-assigned UUID ids, no update-as-create. */
  serverIds: boolean;
  /** Per-client quota (undefined: none). */
  quota?: FhirQuota;
}

/** One HTTP request as the repository sees it. */
export interface RequestContext {
  /** Whose quota is charged (OAuth client id, or `anonymous`). */
  client: string;
  /** The client's quota after the request's last charge. */
  quota?: QuotaState;
  /** >0 while an interaction's inner reads must not be charged again (history). */
  quiet?: number;
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
  /** Strict rules for HTTP requests; undefined = the lenient sandbox. */
  strict?: StrictRepositoryRules;
  private tail: Promise<void> = Promise.resolve();
  private readonly inside = new AsyncLocalStorage<UndoEntry[]>();
  private readonly request = new AsyncLocalStorage<RequestContext>();

  /**
   * Runs the handling of one HTTP request: strict rules and quota charges apply inside.
   * @param context - the request's client (its `quota` is updated by each charge)
   * @param work - the handling
   */
  runRequest<T>(context: RequestContext, work: () => Promise<T>): Promise<T> {
    return this.request.run(context, work);
  }

  /** The strict rules, inside an HTTP request only. */
  private rules(): StrictRepositoryRules | undefined {
    return this.request.getStore() ? this.strict : undefined;
  }

  /** Charges the request's client (strict quota, inside an HTTP request). */
  private charge(kind: keyof QuotaCosts): void {
    const context = this.request.getStore();
    const quota = this.strict?.quota;
    if (!context || !quota || context.quiet) {
      return;
    }
    try {
      context.quota = quota.charge(context.client, kind);
    } catch (err) {
      if (err instanceof QuotaExceededError) {
        context.quota = err.quota;
      }
      throw err;
    }
  }

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
    if (!update) {
      this.charge('write');
      // The id is decided here (not inside MemoryRepository) so that a rollback knows it. Strict:
      // the server assigns it, unless a Bundle's preprocessing already did (`assignedId`).
      if (!resource.id || (this.rules()?.serverIds && !options?.assignedId)) {
        resource = { ...resource, id: this.generateId() };
      }
    }
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

  /**
   * Update; strict: 400 "Invalid id" for a non-UUID id and 404 for one that does not exist (no
   * update-as-create), after charging the write as the real server does.
   */
  override async updateResource<T extends Resource>(resource: T, options?: Parameters<MemoryRepository['updateResource']>[1]): Promise<WithId<T>> {
    this.charge('write');
    if (this.rules()?.serverIds) {
      if (!resource.id) {
        throw new OperationOutcomeError(badRequest('Missing id'));
      }
      if (!isUUID(resource.id)) {
        throw new OperationOutcomeError(badRequest('Invalid id'));
      }
      if (!this.internals().resources.get(resource.resourceType)?.has(resource.id)) {
        throw new OperationOutcomeError(notFound);
      }
    }
    return super.updateResource(resource, options);
  }

  /** Read (charged 1 in strict mode). */
  override async readResource<T extends Resource>(resourceType: string, id: string): Promise<T> {
    this.charge('read');
    return super.readResource<T>(resourceType, id);
  }

  /** History (charged 10 in strict mode, its inner read not). */
  override async readHistory<T extends Resource>(resourceType: string, id: string): Promise<Bundle<T>> {
    this.charge('history');
    const context = this.request.getStore();
    if (context) {
      context.quiet = (context.quiet ?? 0) + 1;
    }
    try {
      return await super.readHistory<T>(resourceType, id);
    } finally {
      if (context) {
        context.quiet = (context.quiet ?? 1) - 1;
      }
    }
  }

  /** Delete (charged as a write in strict mode). */
  override async deleteResource(...args: Parameters<MemoryRepository['deleteResource']>): Promise<void> {
    this.charge('write');
    return super.deleteResource(...args);
  }

  /**
   * Conditional create. Strict mode replaces MemoryRepository's (which searches and writes around
   * `search` and `createResource`, so neither the parameter check, the charges nor a transaction's
   * undo log saw it) with fhir-router's generic one: search, then create, in one transaction.
   */
  override async conditionalCreate<T extends Resource>(
    resource: T,
    search: SearchRequest<T>,
    options?: Parameters<MemoryRepository['conditionalCreate']>[2]
  ): Promise<{ resource: WithId<T>; outcome: OperationOutcome }> {
    if (!this.rules()) {
      return super.conditionalCreate(resource, search, options);
    }
    if (search.resourceType !== resource.resourceType) {
      throw new OperationOutcomeError(badRequest('Search type must match resource type for conditional update'));
    }
    return this.withTransaction(async () => {
      const matches = await this.searchResources({ ...search, count: 2, sortRules: undefined });
      if (matches.length === 1) {
        if (!options?.assignedId && resource.id && resource.id !== matches[0].id) {
          throw new OperationOutcomeError(badRequest('Resource ID did not match resolved ID', `${resource.resourceType}.id`));
        }
        return { resource: matches[0], outcome: allOk };
      }
      if (matches.length > 1) {
        throw new OperationOutcomeError(multipleMatches);
      }
      return { resource: await this.createResource(resource, options), outcome: created };
    }, { serializable: true });
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
    this.charge('search');
    const registry = this.rules()?.searchParameters;
    if (registry) {
      checkSearchParameters(registry, searchRequest);
    }
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
