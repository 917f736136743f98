/**
 * One FHIR delivery target: fhir-kit-client does the HTTP; this adds what it lacks (ARCHITECTURE.md,
 * known frictions): the Authorization header from our token cache (one refresh on 401), a timeout
 * per request (AbortSignal), error classification, and the upsert strategy — one transaction
 * Bundle, or, for a server whose CapabilityStatement declares no `transaction`, the entries one by
 * one in dependency order with `urn:uuid` references rewritten to the ids the server gave.
 */
import type { Bundle, BundleEntry, CapabilityStatement, Resource } from '@medplum/fhirtypes';
import { Client, type FhirResource, type RequestOptions } from 'fhir-kit-client';
import { referencesOf, walkReferences } from './bundle-tools.js';
import { TokenProvider } from './auth.js';
import type { TargetConfig } from './config.js';
import { classifyError, DeliveryError } from './errors.js';

/** What an upsert did. */
export interface UpsertResult {
  mode: 'transaction' | 'one-by-one';
  /** `Type/id` of every written entry, in Bundle order. */
  written: string[];
}

const CAPABILITY_TTL_MS = 5 * 60_000;

/** A FHIR server target. */
export class FhirTarget {
  readonly config: TargetConfig;
  readonly tokens: TokenProvider;
  private readonly client: Client;
  private capability?: { transaction: boolean; at: number };

  constructor(config: TargetConfig) {
    this.config = config;
    this.tokens = new TokenProvider(config.auth, config.timeoutMs);
    this.client = new Client({ baseUrl: config.url as string });
  }

  /**
   * Runs one request with auth and timeout; a 401 with a refreshable token is retried once.
   * @param fn - the fhir-kit-client call, given the request options
   * @returns its result
   * @throws DeliveryError
   */
  async call<T>(fn: (options: RequestOptions) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const headers: Record<string, string> = {};
      const authorization = await this.tokens.header();
      if (authorization) {
        headers.authorization = authorization;
      }
      try {
        return await fn({ headers, signal: AbortSignal.timeout(this.config.timeoutMs) });
      } catch (err) {
        const e = classifyError(err);
        if (e.status === 401 && attempt === 0 && this.tokens.canRefresh()) {
          this.tokens.invalidate();
          continue;
        }
        throw e;
      }
    }
  }

  /**
   * Whether to send transaction Bundles: from the config, or `auto` = the CapabilityStatement
   * declares the `transaction` system interaction (cached five minutes).
   */
  async supportsTransaction(): Promise<boolean> {
    if (this.config.transaction !== 'auto') {
      return this.config.transaction === 'always';
    }
    if (this.capability && Date.now() - this.capability.at < CAPABILITY_TTL_MS) {
      return this.capability.transaction;
    }
    const cs = (await this.call((options) => this.client.capabilityStatement(options))) as unknown as CapabilityStatement;
    const transaction = (cs.rest ?? []).some((r) => (r.interaction ?? []).some((i) => i.code === 'transaction'));
    this.capability = { transaction, at: Date.now() };
    return transaction;
  }

  /**
   * Writes a transaction Bundle's entries (conditional updates / PUT by id). As one transaction the
   * stored JSON goes as is (fhir-kit-client sends a string body unchanged) with
   * `Prefer: return=minimal` (only the locations are needed back).
   * @param raw - the Bundle as JSON text
   * @param parsed - the parsed Bundle, when the caller has it
   * @returns mode and written ids
   * @throws DeliveryError
   */
  async upsert(raw: string, parsed?: Bundle): Promise<UpsertResult> {
    if (await this.supportsTransaction()) {
      const body = raw as unknown as FhirResource;
      const response = (await this.call((options) =>
        this.client.transaction({ body, options: { ...options, headers: { ...options.headers, prefer: 'return=minimal' } } })
      )) as unknown as Bundle;
      const written: string[] = [];
      for (const e of response.entry ?? []) {
        const status = Number(/^\d+/.exec(e.response?.status ?? '')?.[0] ?? 0);
        if (status >= 300) {
          throw new DeliveryError(status >= 500 ? 'retry' : 'rejected', `entry-${status}`, { status, outcome: e.response?.outcome as never });
        }
        const loc = e.response?.location ?? (e.resource?.id ? `${e.resource.resourceType}/${e.resource.id}` : undefined);
        if (loc) {
          written.push(loc.split('/_history')[0].replace(/^.*?([A-Za-z]+\/[A-Za-z0-9\-.]+)$/, '$1'));
        }
      }
      return { mode: 'transaction', written };
    }
    const bundle = parsed ?? (JSON.parse(raw) as Bundle);
    return { mode: 'one-by-one', written: await this.oneByOne(bundle.entry ?? []) };
  }

  private async oneByOne(entries: BundleEntry[]): Promise<string[]> {
    const ids = new Map<string, string>();
    const deferred: BundleEntry[] = [];
    const written = new Map<BundleEntry, string>();
    for (const entry of dependencyOrder(entries)) {
      const { resource, unresolved } = rewrite(entry.resource as Resource, ids, true);
      const location = await this.put(entry, resource);
      if (entry.fullUrl) {
        ids.set(entry.fullUrl, location);
      }
      written.set(entry, location);
      if (unresolved) {
        deferred.push(entry);
      }
    }
    // Second pass for the references a cycle left out (e.g. MedicationAdministration.supportingInformation
    // → the body-weight Observation that is partOf that administration): now every id is known.
    for (const entry of deferred) {
      const location = written.get(entry) as string;
      const { resource } = rewrite(entry.resource as Resource, ids, false);
      const [type, id] = location.split('/');
      await this.call((options) =>
        this.client.update({ resourceType: type, id, body: { ...resource, id } as unknown as FhirResource, options })
      );
    }
    return entries.map((e) => written.get(e) as string);
  }

  private async put(entry: BundleEntry, resource: Resource): Promise<string> {
    const request = entry.request;
    const url = request?.url ?? '';
    const [path, query] = url.split('?');
    const [type, id] = path.split('/');
    let result: FhirResource;
    if (request?.method === 'PUT' && id) {
      result = await this.call((options) =>
        this.client.update({ resourceType: type, id, body: { ...resource, id } as unknown as FhirResource, options })
      );
    } else if (request?.method === 'PUT' && query) {
      const searchParams = Object.fromEntries(new URLSearchParams(query));
      result = await this.call((options) =>
        this.client.update({ resourceType: type, searchParams, body: resource as unknown as FhirResource, options })
      );
    } else if (request?.method === 'POST') {
      result = await this.call((options) =>
        this.client.create({
          resourceType: type,
          body: resource as unknown as FhirResource,
          options: request.ifNoneExist ? { ...options, headers: { ...options.headers, 'if-none-exist': request.ifNoneExist } } : options,
        })
      );
    } else {
      throw new DeliveryError('rejected', 'unsupported-entry-request');
    }
    const r = result as unknown as Resource;
    if (!r.id) {
      throw new DeliveryError('retry', 'no-id-returned');
    }
    return `${r.resourceType}/${r.id}`;
  }
}

/**
 * Orders entries so that an entry comes after those it references (Kahn's algorithm, Bundle order
 * among equals); a cycle is broken at the earliest entry in Bundle order.
 * @param entries - the entries
 * @returns the ordered entries
 */
export function dependencyOrder(entries: BundleEntry[]): BundleEntry[] {
  const urls = new Set(entries.map((e) => e.fullUrl));
  const deps = new Map(entries.map((e) => [e, new Set(referencesOf(e.resource).filter((u) => urls.has(u) && u !== e.fullUrl))]));
  const done = new Set<string>();
  const out: BundleEntry[] = [];
  const left = [...entries];
  while (left.length) {
    let i = left.findIndex((e) => [...(deps.get(e) ?? [])].every((d) => done.has(d)));
    if (i < 0) {
      i = 0;
    }
    const [e] = left.splice(i, 1);
    out.push(e);
    if (e.fullUrl) {
      done.add(e.fullUrl);
    }
  }
  return out;
}

/**
 * Copies a resource with its `urn:uuid:` references replaced by server ids.
 * @param resource - the resource
 * @param ids - fullUrl → `Type/id`
 * @param dropUnresolved - remove references not yet known (else keep them)
 * @returns the copy and whether some were removed
 */
function rewrite(resource: Resource, ids: Map<string, string>, dropUnresolved: boolean): { resource: Resource; unresolved: boolean } {
  const copy = structuredClone(resource);
  const drops: { parent: unknown; key: string | number }[] = [];
  walkReferences(copy, (ref, parent, key) => {
    const target = ref.reference?.startsWith('urn:uuid:') ? ids.get(ref.reference) : undefined;
    if (target) {
      ref.reference = target;
    } else if (ref.reference?.startsWith('urn:uuid:') && dropUnresolved) {
      drops.push({ parent, key });
    }
  });
  for (const { parent, key } of drops.reverse()) {
    if (Array.isArray(parent)) {
      parent.splice(key as number, 1);
    } else if (parent && typeof parent === 'object') {
      delete (parent as Record<string, unknown>)[key as string];
    }
  }
  // Arrays emptied by the drops are removed (FHIR forbids empty arrays).
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
  if (drops.length) {
    prune(copy);
  }
  return { resource: copy, unresolved: drops.length > 0 };
}
