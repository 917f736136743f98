/**
 * Reconciliation: what the last delivered version of each record should have put at a target, read back
 * there by each resource's key (the delivery manifest: key, location, content hash per entry). Reports
 * resources missing (not found by their key), duplicated (found more than once) and different (the
 * server's copy lacks what was sent: field paths) — resource types, server ids, record ids and field paths
 * only, never identifier values or content. Missing and different resources are dropped from the written
 * cache, so the next delivery of the record (a replay, a resubmission) sends them again.
 */
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { resolved } from './bundle-writer.js';
import type { DeliveryManifest, DeliveryStore } from './delivery-store.js';
import type { FhirTarget } from './fhir-target.js';
import { differingPaths } from './resource-diff.js';
import { keyEntries, keyToken, type WriteKey } from './write-keys.js';

/** Which records to check. */
export interface ReconcileFilter {
  clinicId?: string;
  /** Records of one episode: the episode's Bundle and its dosing and signal records. */
  episodeId?: string;
}

/** One finding. */
export interface ReconcileFinding {
  recordType: string;
  recordId: string;
  version: number;
  resourceType: string;
  /** Index of the entry in the delivered Bundle. */
  index: number;
  /** Server ids found (duplicated, different) or recorded at delivery (missing). */
  ids: string[];
  /** Field paths that differ (different). */
  paths?: string[];
}

/** The report. */
export interface ReconcileReport {
  targetId: string;
  records: number;
  resources: number;
  missing: ReconcileFinding[];
  duplicated: ReconcileFinding[];
  different: ReconcileFinding[];
  /** Records whose payload had expired: only presence was checked, not content. */
  presenceOnly: number;
}

/** Whether a manifest is one the filter asks for. */
function selected(m: DeliveryManifest, filter: ReconcileFilter): boolean {
  if (filter.clinicId !== undefined && m.clinicId !== filter.clinicId) {
    return false;
  }
  return filter.episodeId === undefined || m.recordId === filter.episodeId || m.recordId.startsWith(`${filter.episodeId}~`);
}

/**
 * Reconciles a FHIR target.
 * @param store - the delivery store
 * @param targetId - the target's id
 * @param fhir - the target's client
 * @param filter - clinic and/or episode
 * @returns the report
 */
export async function reconcileTarget(store: DeliveryStore, targetId: string, fhir: FhirTarget, filter: ReconcileFilter = {}): Promise<ReconcileReport> {
  const report: ReconcileReport = { targetId, records: 0, resources: 0, missing: [], duplicated: [], different: [], presenceOnly: 0 };
  const caps = await fhir.capabilities();
  for (const m of (await store.manifests(targetId)).filter((x) => selected(x, filter))) {
    report.records += 1;
    const payload: Bundle | undefined = await store.getPayload(m.payloadKey).catch(() => undefined);
    const keyed = payload ? keyEntries(payload.entry ?? [], caps) : undefined;
    if (!keyed) {
      report.presenceOnly += 1;
    }
    const ids = new Map<string, string>();
    keyed?.forEach((k, i) => ids.set(k.fullUrl, m.entries[i]?.location));
    const forget: string[] = [];
    for (const [index, e] of m.entries.entries()) {
      report.resources += 1;
      const key: WriteKey = { resourceType: e.resourceType, param: e.param, system: e.system, value: e.value };
      const found = await fhir.findByKey(key);
      const finding = { recordType: m.recordType, recordId: m.recordId, version: m.version, resourceType: e.resourceType, index };
      if (found.length === 0) {
        report.missing.push({ ...finding, ids: e.location ? [e.location] : [] });
        forget.push(keyToken(key));
      } else if (found.length > 1) {
        report.duplicated.push({ ...finding, ids: found.map((r: Resource) => `${r.resourceType}/${r.id}`) });
      } else if (keyed?.[index]) {
        const paths = differingPaths(resolved(keyed[index].resource, ids, false), found[0]);
        if (paths.length) {
          report.different.push({ ...finding, ids: [`${found[0].resourceType}/${found[0].id}`], paths });
          forget.push(keyToken(key));
        }
      }
    }
    await store.forgetWritten(fhir.server, forget);
  }
  return report;
}
