/**
 * Interactions with current medications at each dose given, and the medication review itself (docs/safety.md).
 * The medications current at a dose are the `active` MedicationStatements (docs/design/issue-13-contract.md) of the
 * latest review at or before the dose (reviews of any session of the episode; a review = the statements asserted at
 * one time), coded by `kap-medication-class`.
 *
 * - MAOI, psychostimulant → interaction-bp (attention; Spravato label: psychostimulants and MAOIs may increase BP)
 * - benzodiazepine, non-benzodiazepine hypnotic, opioid, other CNS depressant → interaction-sedation (attention;
 *   Spravato label: CNS depressants may increase sedation)
 * - lamotrigine, benzodiazepine → interaction-blunted-response (information; issue 13 — no label source: a possible
 *   blunting of the antidepressant response, for the prescriber's record)
 * - medication-review-missing (attention): esketamine, a dose whose own session (its Encounter) has no medication
 *   review (the Spravato REMS Patient Monitoring Form asks about these classes at every session, so "not asked" at
 *   the session is not read as the old answer); racemic ketamine, no MedicationStatement at all at or before the
 *   dose — or, when the clinic sets `routes.<route>.requireMedicationReviewEachSession`, none in its own session.
 *   The interaction rules above still read the latest review at or before the dose.
 */
import type { MedicationStatement } from '@medplum/fhirtypes';
import type { MedicationClass } from '../kap/medication-review.js';
import type { BundleIndex, IndexedEntry } from '../bundle-index.js';
import { timeOf } from '../instruments/date-time.js';
import { KAP_MEDICATION_CLASS } from '../terminology/systems.js';
import type { SafetyConfig } from './config.js';
import { doseStart, givenDoses, isEsketamine, routeOf } from './episode-view.js';
import type { SafetyRule, SafetySignal, SignalSeverity } from './types.js';

/** The classes each interaction rule looks for, with its severity. */
const INTERACTIONS: readonly { rule: SafetyRule; severity: SignalSeverity; classes: readonly MedicationClass[] }[] = [
  { rule: 'interaction-bp', severity: 'attention', classes: ['maoi', 'psychostimulant'] },
  {
    rule: 'interaction-sedation',
    severity: 'attention',
    classes: ['benzodiazepine', 'non-benzodiazepine-hypnotic', 'opioid', 'other-cns-depressant'],
  },
  { rule: 'interaction-blunted-response', severity: 'information', classes: ['lamotrigine', 'benzodiazepine'] },
];

function assertedAt(ms: MedicationStatement): number | undefined {
  return timeOf(ms.dateAsserted ?? ms.effectiveDateTime ?? ms.effectivePeriod?.start);
}

function statements(index: BundleIndex): { e: IndexedEntry<MedicationStatement>; t: number }[] {
  return index
    .ofType('MedicationStatement')
    .filter((e) => e.resource.status !== 'entered-in-error')
    .flatMap((e) => {
      const t = assertedAt(e.resource);
      return t === undefined ? [] : [{ e, t }];
    });
}

/** The statements of the latest review at or before a time (empty when there is none). */
export function latestReview(index: BundleIndex, when: number): IndexedEntry<MedicationStatement>[] {
  const all = statements(index).filter((s) => s.t <= when);
  const latest = Math.max(...all.map((s) => s.t));
  return all.filter((s) => s.t === latest).map((s) => s.e);
}

function classOf(ms: MedicationStatement): MedicationClass | undefined {
  return ms.medicationCodeableConcept?.coding?.find((c) => c.system === KAP_MEDICATION_CLASS && c.code)?.code as MedicationClass | undefined;
}

/** One signal per interaction rule per dose given. Resources: the MA, then the MedicationStatement(s). */
export function interactionSignals(index: BundleIndex): SafetySignal[] {
  const out: SafetySignal[] = [];
  for (const ma of givenDoses(index)) {
    const when = timeOf(doseStart(ma.resource));
    if (when === undefined) {
      continue;
    }
    const current = latestReview(index, when).filter((e) => e.resource.status === 'active');
    for (const { rule, severity, classes } of INTERACTIONS) {
      const hits = current.filter((e) => {
        const c = classOf(e.resource);
        return c !== undefined && classes.includes(c);
      });
      if (hits.length > 0) {
        out.push({ rule, severity, resources: [ma.ref, ...hits.map((e) => e.ref)] });
      }
    }
  }
  return out;
}

/**
 * A dose given with no medication review ("none" included) where one is required: in its own session (its
 * Encounter: the statements' `context`) for esketamine, and for racemic ketamine when the route's
 * `requireMedicationReviewEachSession` is set; otherwise anywhere at or before the dose. Resources: MA.
 */
export function medicationReviewMissingSignals(index: BundleIndex, config: SafetyConfig): SafetySignal[] {
  const all = statements(index);
  return givenDoses(index)
    .filter((ma) => {
      const route = routeOf(ma.resource);
      const eachSession = isEsketamine(ma.resource) || (route !== undefined && config.routes[route].requireMedicationReviewEachSession);
      if (eachSession) {
        const session = index.resolve(ma.resource.context)?.ref;
        return session === undefined || !all.some((s) => index.resolve(s.e.resource.context)?.ref === session);
      }
      const when = timeOf(doseStart(ma.resource));
      return when !== undefined && !all.some((s) => s.t <= when);
    })
    .map((ma) => ({ rule: 'medication-review-missing', severity: 'attention', resources: [ma.ref] }));
}
