/**
 * Identifier namespaces (docs/security.md "Identifier namespaces"). kap-fhir gives every resource it
 * makes the identifier `https://kap-fhir.org/fhir/clinic/<clinic>|<id>` and delivers by conditional
 * update on it, so an identifier a clinic supplies (a patient's `identifiers[]`) must never fall in
 * a namespace that identifies another clinic's records: a Patient of clinic B carrying clinic A's
 * identifier makes A's conditional updates match two Patients, and A's deliveries fail.
 *
 * Rules, for each clinic-supplied identifier system:
 * 1. the NPI system is shared by every clinic: always allowed;
 * 2. kap-fhir's own namespaces are never allowed: anything on the kap-fhir host, whatever the scheme,
 *    case, port or sub-domain (every clinic's KAP system, the clinic's own included: the mapping
 *    adds it itself);
 * 3. when the clinic's configuration lists `identifierSystems`, only those (exact match) are allowed;
 * 4. otherwise any system except those other clinics list (compared case-insensitively, without a
 *    trailing slash). A system the clinic lists itself stays allowed even when another clinic lists
 *    it too (two clinics on one EHR share its MRN system).
 * Refusals are 422 naming the field, with fixed text (never the system or the value).
 */
import type { OperationOutcomeIssue } from '@medplum/fhirtypes';
import type { KapEpisode } from '../kap/episode.js';
import { issue } from '../outcomes.js';
import type { ServiceConfig } from '../config/service-config.js';
import { isKapNamespace } from '../terminology/kap-namespace.js';
import { NPI } from '../terminology/systems.js';

/** Fixed text: a kap-fhir namespace. */
export const RESERVED_SYSTEM_TEXT = 'Identifier systems in the kap-fhir namespace are assigned by the service and cannot be submitted';
/** Fixed text: a system the clinic may not use (not configured for it, or another clinic's). */
export const FOREIGN_SYSTEM_TEXT = 'This identifier system is not allowed for this clinic';

/** A system compared loosely (case, surrounding space, a trailing slash): refusing is the safe side. */
function loose(system: string): string {
  return system.trim().toLowerCase().replace(/\/+$/, '');
}

/** A clinic-supplied identifier system and where it is in the episode. */
interface SuppliedSystem {
  system: unknown;
  expression: string;
}

/** The identifier systems a clinic supplies in an episode (practitioners and the clinic carry only NPIs). */
function suppliedSystems(episode: KapEpisode): SuppliedSystem[] {
  const patient = episode.patient as { identifiers?: unknown } | undefined;
  const identifiers = Array.isArray(patient?.identifiers) ? (patient.identifiers as unknown[]) : [];
  return identifiers.map((x, i) => ({
    system: (x as { system?: unknown } | null)?.system,
    expression: `patient.identifiers[${i}].system`,
  }));
}

/**
 * Checks the identifier systems an episode carries against the clinic's namespaces (rules above).
 * @param config - the service configuration (`clinics[].identifierSystems`)
 * @param clinicId - the authenticated clinic (the tenant)
 * @param episode - the parsed episode
 * @returns one error issue per refused system (empty when all are allowed)
 */
export function identifierSystemIssues(
  config: Pick<ServiceConfig, 'clinics'>,
  clinicId: string,
  episode: KapEpisode
): OperationOutcomeIssue[] {
  const supplied = suppliedSystems(episode);
  if (supplied.length === 0) {
    return [];
  }
  const own = config.clinics.find((c) => c.id === clinicId)?.identifierSystems ?? [];
  const others = new Set(config.clinics.filter((c) => c.id !== clinicId).flatMap((c) => (c.identifierSystems ?? []).map(loose)));
  const issues: OperationOutcomeIssue[] = [];
  for (const { system, expression } of supplied) {
    if (typeof system !== 'string' || system === NPI) {
      continue; // the schema has checked the type already; NPI is shared
    }
    if (isKapNamespace(system)) {
      issues.push(issue('error', 'business-rule', RESERVED_SYSTEM_TEXT, expression));
    } else if (own.length > 0 ? !own.includes(system) : others.has(loose(system))) {
      issues.push(issue('error', 'business-rule', FOREIGN_SYSTEM_TEXT, expression));
    }
  }
  return issues;
}
