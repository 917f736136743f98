/**
 * What the HTTP layer needs from the other modules, as narrow interfaces. `src/server/wiring.ts`
 * binds them to `src/kap`, `src/fhir`, `src/validation`, `src/instruments` and `src/sync`; tests
 * bind the same real modules. Handlers only see these ports.
 */
import type { Bundle, OperationOutcome, Resource } from '@medplum/fhirtypes';
import type { Queue } from 'bullmq';
import type { MapAndValidateResult } from '../pipeline/map-and-validate.js';

/** A KAP episode as the clinic sends it (the zod-parsed object of `src/kap`). */
export type KapEpisodeLike = Record<string, unknown> & { id: string; version?: number };

/** The result of parsing a submission: the value, or a 400/422 outcome naming the fields. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; outcome: OperationOutcome };

/** Episode parsing and mapping (`src/kap` + `src/fhir`). */
export interface EpisodePort {
  /** The zod schema of a whole episode (for OpenAPI). */
  readonly schema: unknown;
  /** The zod schema of one session (for OpenAPI). */
  readonly sessionSchema: unknown;
  /** The zod schema of one questionnaire result in an episode (for OpenAPI). */
  readonly questionnaireSchema: unknown;
  /** Parses a clinic's episode JSON; refusals name the field in `expression`. */
  parse(body: unknown): Parsed<KapEpisodeLike>;
  /** Maps an episode of a clinic to its transaction Bundle (signals included). */
  map(episode: KapEpisodeLike, clinicId: string): Bundle;
  /**
   * Maps and validates an episode of a clinic (src/pipeline): the Bundle and its warning/error issues,
   * or the mapping's refusal. Runs off the event loop in the service.
   */
  mapAndValidate(episode: KapEpisodeLike, clinicId: string): Promise<MapAndValidateResult>;
  /** Reads an episode back from a transaction/batch Bundle of KAP resources (POST /fhir). */
  fromBundle?(bundle: Bundle, clinicId: string): Parsed<KapEpisodeLike>;
}

/** Validation against the KAP profiles (`src/validation`). */
export interface ValidationPort {
  validate(resource: Resource, options?: { profile?: string }): OperationOutcome | Promise<OperationOutcome>;
  /** True when the compiled package is loaded (readiness). */
  loaded(): boolean;
}

/** A job's state as the API reports it. */
export interface JobView {
  id: string;
  state: string;
  [key: string]: unknown;
}

/** The sync engine (`src/sync`). */
export interface SyncPort {
  submitEpisode(bundle: Bundle, ctx: { clinicId: string; requestId?: string }): Promise<{ jobIds: string[] }>;
  /** Enqueues safety signals (DetectedIssue + Communication) on the clinic's alert targets. */
  submitSignals?(
    signals: Resource[],
    ctx: { clinicId: string; requestId?: string; episode?: Bundle }
  ): Promise<{ jobIds: string[] }>;
  jobStatus(id: string, clinicId?: string): Promise<JobView | undefined>;
  listDeadLetters(clinicId?: string): Promise<{ id: string; [key: string]: unknown }[]>;
  replay(id: string, clinicId?: string): Promise<{ jobId: string }>;
  /** Reads a FHIR target back (src/sync/reconcile.ts); another clinic's target is not found. */
  reconcile?(targetId: string, filter: { clinicId?: string; episodeId?: string; callerClinicId?: string }): Promise<Record<string, unknown>>;
  /** The delivery log of one clinic (what was written where, by job). */
  deliveryLog?(clinicId: string): Promise<Record<string, unknown>[]>;
  /** The BullMQ queues (dashboard and metrics). */
  queues(): Queue[];
}
