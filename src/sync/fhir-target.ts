/**
 * One FHIR delivery target: fhir-kit-client does the HTTP; this adds what it lacks (ARCHITECTURE.md,
 * known frictions): the Authorization header from our token cache (one refresh on 401), a timeout
 * per request (AbortSignal), error classification, the server's capabilities (CapabilityStatement:
 * write keys and write mode), and the server operations src/sync/bundle-writer.ts writes with.
 */
import type { Bundle, BundleEntry, CapabilityStatement, Identifier, Resource } from '@medplum/fhirtypes';
import { Client, type FhirResource, type RequestOptions } from 'fhir-kit-client';
import { TokenProvider } from './auth.js';
import { locationOf, writeEntries, type SentBundle, type SentEntry, type ServerIo, type WriteMode, type WrittenCache } from './bundle-writer.js';
import type { TargetConfig } from './config.js';
import { classifyError, retryAfterOf } from './errors.js';
import { capabilitiesOf, type ServerCapabilities } from './server-capabilities.js';
import { keyEntries, type KeyedEntry, type WriteKey } from './write-keys.js';

/** What a write did. */
export interface UpsertResult {
  mode: WriteMode | 'one-by-one';
  /** `Type/id` of every entry, in Bundle order. */
  written: string[];
  /** Entries sent (the others were at the server with the same content already). */
  sent: number;
  /** Requests made. */
  requests: number;
}

const CAPABILITY_TTL_MS = 5 * 60_000;

/** A FHIR server target. */
export class FhirTarget implements ServerIo {
  readonly config: TargetConfig;
  readonly tokens: TokenProvider;
  /** The server's identity (normalised base URL): locks and the written cache are per server, not per target. */
  readonly server: string;
  private readonly client: Client;
  private capability?: { caps: ServerCapabilities; at: number };

  constructor(config: TargetConfig) {
    this.config = config;
    this.tokens = new TokenProvider(config.auth, config.timeoutMs);
    this.client = new Client({ baseUrl: config.url as string });
    this.server = serverIdentity(config.url as string);
  }

  /**
   * Runs one request with auth and timeout; a 401 with a refreshable token is retried once.
   * @param fn - the fhir-kit-client call, given the request options
   * @param timeoutMs - the request's timeout (default: the target's)
   * @returns its result
   * @throws DeliveryError
   */
  async call<T>(fn: (options: RequestOptions) => Promise<T>, timeoutMs = this.config.timeoutMs): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const headers: Record<string, string> = {};
      const authorization = await this.tokens.header();
      if (authorization) {
        headers.authorization = authorization;
      }
      try {
        return await fn({ headers, signal: AbortSignal.timeout(timeoutMs) });
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

  /** The server's capabilities (its CapabilityStatement, cached five minutes). */
  async capabilities(): Promise<ServerCapabilities> {
    if (this.capability && Date.now() - this.capability.at < CAPABILITY_TTL_MS) {
      return this.capability.caps;
    }
    const cs = (await this.call((options) => this.client.capabilityStatement(options))) as unknown as CapabilityStatement;
    const caps = capabilitiesOf(cs);
    this.capability = { caps, at: Date.now() };
    return caps;
  }

  /**
   * How entries are sent: `never` one by one; `atomic` (or `always`) atomic transactions; `batch` batches;
   * `auto` batches where the server declares `batch`, else transactions, else one by one.
   */
  async writeMode(): Promise<WriteMode> {
    switch (this.config.transaction) {
      case 'never':
        return 'one-by-one';
      case 'atomic':
      case 'always':
        return 'transaction';
      case 'batch':
        return 'batch';
      default: {
        const caps = await this.capabilities();
        return caps.batch ? 'batch' : caps.transaction ? 'transaction' : 'one-by-one';
      }
    }
  }

  /** @inheritdoc */
  async sendBundle(type: 'batch' | 'transaction', entries: BundleEntry[], timeoutMs: number, identifier?: Identifier): Promise<SentBundle> {
    const body = { resourceType: 'Bundle', type, ...(identifier ? { identifier } : {}), entry: entries } as unknown as FhirResource;
    try {
      const response = (await this.call(
        (options) => (type === 'batch' ? this.client.batch({ body, options }) : this.client.transaction({ body, options })),
        timeoutMs
      )) as unknown as Bundle;
      // A batch answered 200 can hold 429 entries (a quota running out mid-Bundle): the wait is in the headers.
      const retryAfterMs = retryAfterOf(Client.httpFor(response as never).response?.headers, 429);
      return { status: 200, bundle: response?.resourceType === 'Bundle' ? response : undefined, retryAfterMs };
    } catch (err) {
      return answerOf(err);
    }
  }

  /** @inheritdoc */
  async put(url: string, resource: Resource, timeoutMs: number): Promise<SentEntry> {
    const [path, query] = url.split('?');
    const [resourceType, id] = path.split('/');
    const body = resource as unknown as FhirResource;
    try {
      const result = (await this.call(
        (options) =>
          id
            ? this.client.update({ resourceType, id, body, options })
            : this.client.update({ resourceType, searchParams: Object.fromEntries(new URLSearchParams(query)), body, options }),
        timeoutMs
      )) as unknown as Resource;
      const response = Client.httpFor(result as never).response;
      return { status: response?.status ?? 200, location: locationOf(response?.headers.get('location') ?? undefined, result?.id ? result : undefined) };
    } catch (err) {
      const answer = answerOf(err);
      return { status: answer.status, outcome: answer.outcome, retryAfterMs: answer.retryAfterMs };
    }
  }

  /** @inheritdoc */
  async findByKey(key: WriteKey): Promise<Resource[]> {
    const bundle = (await this.call((options) =>
      this.client.search({ resourceType: key.resourceType, searchParams: { [key.param]: `${key.system}|${key.value}`, _count: '10' }, options })
    )) as unknown as Bundle;
    return (bundle.entry ?? []).filter((e) => !e.search?.mode || e.search.mode === 'match').map((e) => e.resource as Resource);
  }

  /**
   * Writes a Bundle's entries, each verified (src/sync/bundle-writer.ts), with capability-aware keys.
   * @param bundle - the Bundle (conditional entries, `urn:uuid` references)
   * @param cache - the written cache of this server
   * @param keyedEntries - the entries already keyed (see {@link keysOf})
   * @returns mode, locations, counts
   * @throws DeliveryError
   */
  async write(bundle: Bundle, cache: WrittenCache, keyedEntries?: KeyedEntry[]): Promise<UpsertResult> {
    const keyed = keyedEntries ?? keyEntries(bundle.entry ?? [], await this.capabilities());
    const mode = await this.writeMode();
    const report = await writeEntries(keyed, this, cache, {
      mode,
      maxEntries: this.config.maxEntries,
      timeoutMs: this.config.timeoutMs,
      timeoutPerEntryMs: this.config.timeoutPerEntryMs,
      identifier: bundle.identifier,
    });
    return {
      mode: report.mode,
      written: report.results.map((r) => r.location as string),
      sent: keyed.length - report.unchanged,
      requests: report.requests,
    };
  }

  /**
   * The keys of a Bundle's entries at this server (locks, the written cache).
   * @param bundle - the Bundle
   */
  async keysOf(bundle: Bundle): Promise<KeyedEntry[]> {
    return keyEntries(bundle.entry ?? [], await this.capabilities());
  }
}

/** A request's answer from what the client threw: an HTTP status and outcome, or the error itself. */
function answerOf(err: unknown): SentBundle {
  const e = classifyError(err);
  if (e.status === undefined) {
    throw e;
  }
  return { status: e.status, outcome: e.outcome, retryAfterMs: e.retryAfterMs };
}

/**
 * A server's identity: its base URL, lower-cased scheme and host, no trailing slash.
 * @param url - the FHIR base URL
 */
export function serverIdentity(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, '')}`.toLowerCase();
}
