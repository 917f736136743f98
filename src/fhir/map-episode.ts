/**
 * KAP episode → one FHIR R4 transaction Bundle (docs/conventions.md "The FHIR shape of a KAP episode").
 */
import type { Bundle, Reference, Resource } from '@medplum/fhirtypes';
import type { KapEpisode } from '../kap/episode.js';
import { toAdverseEvent } from './adverse-event.js';
import { buildTransactionBundle, fullUrlOf, sortResources } from './bundle.js';
import { toCareTeam } from './care-team.js';
import { toChangeFromBaselineObservations } from './change-from-baseline.js';
import { toCondition } from './condition.js';
import { mapContext } from './context.js';
import { toDischargeReadinessObservation } from './discharge-readiness.js';
import { toDissociationObservation } from './dissociation-score.js';
import { toDosingPlanObservation } from './dosing-plan.js';
import { toEncounter } from './encounter.js';
import { toEpisodeOfCare } from './episode-of-care.js';
import { toInstrumentScoreObservation, toSafetyItemObservations } from './instrument-score.js';
import { toMedicationAdministration } from './medication-administration.js';
import { toMedicationRequest } from './medication-request.js';
import { toMedicationStatements } from './medication-statement.js';
import { toOrganization } from './organization.js';
import { toPatient } from './patient.js';
import { toPractitioner } from './practitioner.js';
import { toProcedure } from './procedure.js';
import { episodeVersionKey, toProvenance } from './provenance.js';
import { toQuestionnaireResponse } from './questionnaire-response.js';
import { toRespiratoryDepressionObservation } from './respiratory-depression.js';
import { toScreeningObservations } from './screening.js';
import { toBodyWeightObservation, toVitalSignObservation } from './vital-signs.js';

/**
 * Every resource of an episode except the Provenance, unsorted.
 * @param episode - a parsed, valid episode
 */
export function episodeResources(episode: KapEpisode): Resource[] {
  const ctx = mapContext(episode);
  const out: Resource[] = [
    toOrganization(ctx),
    ...episode.careTeam.map((m) => toPractitioner(m, ctx)),
    toPatient(ctx),
    toCareTeam(ctx),
    ...episode.indications.map((i) => toCondition(i, ctx)),
    toEpisodeOfCare(ctx),
    ...episode.prescriptions.map((p) => toMedicationRequest(p, ctx)),
  ];
  for (const s of episode.sessions) {
    out.push(toEncounter(s, ctx));
    const procedure = toProcedure(s, ctx);
    if (procedure) {
      out.push(procedure);
    }
    out.push(...toMedicationStatements(s, ctx), ...toScreeningObservations(s, ctx));
    if (s.kind !== 'dosing') {
      continue;
    }
    out.push(toMedicationAdministration(s, ctx));
    out.push(...s.vitals.map((v) => toVitalSignObservation(v, s, ctx)));
    for (const derived of [
      toBodyWeightObservation(s, ctx),
      toDissociationObservation(s, ctx),
      toRespiratoryDepressionObservation(s, ctx),
      toDischargeReadinessObservation(s, ctx),
      toDosingPlanObservation(s, ctx),
    ]) {
      if (derived) {
        out.push(derived);
      }
    }
    out.push(...s.sideEffects.map((e) => toAdverseEvent(e, s, ctx)));
  }
  for (const q of episode.questionnaires) {
    out.push(toQuestionnaireResponse(q, ctx));
    const score = toInstrumentScoreObservation(q, ctx);
    if (score) {
      out.push(score);
    }
    out.push(...toSafetyItemObservations(q, ctx));
  }
  out.push(...toChangeFromBaselineObservations(episode, ctx));
  return out;
}

/**
 * Maps a parsed, valid KAP episode to its transaction Bundle: every resource with a business identifier
 * and a conditional update, `urn:uuid` references, sorted entries, a Provenance last. The same episode
 * always gives byte-identical JSON.
 * @param episode - a parsed, valid episode (see `parseEpisode`)
 * @param extra - further resources of the same episode (e.g. src/safety's DetectedIssue / Communication, each
 *   with a clinic business identifier): sorted in by rank and targeted by the Provenance like the rest
 * @returns the transaction Bundle
 */
export function mapEpisode(episode: KapEpisode, extra: readonly Resource[] = []): Bundle {
  const ctx = mapContext(episode);
  const resources = sortResources([...episodeResources(episode), ...extra]);
  const targets: Reference[] = resources.map((r) => ({ reference: fullUrlOf(r) }));
  return buildTransactionBundle(ctx.identifier('Bundle', episodeVersionKey(ctx)), [...resources, toProvenance(targets, ctx)]);
}
