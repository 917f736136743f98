/**
 * The resources of one dosing session in the episode Bundle, by what the summary shows them as (issue 14): the same
 * choice the prescriber's Bundle of the session makes (src/sync/prescriber-deliveries.ts: the MedicationAdministration,
 * what is `partOf` it, its AdverseEvents, and src/sync/session-findings.ts), grouped for the document's sections.
 * `sessionView` reads its figures from these, `sessionSummaryDocument` cites them as section entries.
 */
import type { Bundle, MedicationAdministration, Observation } from '@medplum/fhirtypes';
import { BundleIndex, type IndexedEntry } from '../bundle-index.js';
import { bloodPressure, heartRate, observationsOfDose, oxygenSaturation, respiratoryRate, usable } from '../safety/episode-view.js';
import { sessionFindings } from '../sync/session-findings.js';
import { hasKapProfile } from './read-fhir.js';
import { unscoredResponseEntries } from './read-unscored-responses.js';

/** The refs (fullUrls) of a session's resources, by group. */
export interface SessionEntries {
  index: BundleIndex;
  ma: IndexedEntry<MedicationAdministration>;
  /** The Observations of the dose (partOf it or of its Encounter), not entered in error. */
  ofDose: IndexedEntry<Observation>[];
  /** Refs of the session's scores (PHQ-9, GAD-7, PCL-5 totals in its window) and what the window rule adds. */
  findings: ReadonlySet<string>;
  /** Everything the prescriber's Bundle of the session starts from (MA, partOf, AdverseEvents, findings, their QuestionnaireResponses). */
  all: ReadonlySet<string>;
  prescription?: string;
  encounter?: string;
  bodyWeight?: string;
  vitals: string[];
  sedation: string[];
  dissociation: string[];
  respiratoryDepression: string[];
  sideEffects: string[];
  signals: string[];
  medications: string[];
  /** The session Encounter's `kap-screening` Observations (contraindication and precaution screening). */
  screening: string[];
  discharge: string[];
  plan: string[];
  procedure?: string;
  /** The episode's PHQ-9 / GAD-7 / PCL-5 totals and change-from-baseline Observations, and the responses of those instruments that could not be scored. */
  scores: string[];
  /** The episode's C-SSRS risk Observations (LOINC 93374-7). */
  suicideRisk: string[];
  /** The Practitioners who administered (or supervised), monitored (the Procedure's performers) and prescribed. */
  careTeam: string[];
}

/** LOINC totals of the trajectory instruments (PHQ-9, GAD-7, PCL-5). */
const TRAJECTORY_TOTALS = ['44261-6', '70274-6', '101698-9'];

/**
 * The session's resources.
 * @param bundle - the episode Bundle
 * @param maFullUrl - the session's MedicationAdministration fullUrl
 * @returns the groups, or undefined when the Bundle has no MedicationAdministration with that fullUrl
 */
export function sessionEntries(bundle: Bundle, maFullUrl: string): SessionEntries | undefined {
  const index = new BundleIndex(bundle);
  const ma = index.ofType('MedicationAdministration').find((e) => e.fullUrl === maFullUrl);
  if (!ma) {
    return undefined;
  }
  const ofDose = observationsOfDose(index, ma).filter((o) => usable(o.resource));
  const roots = sessionRoots(index, ma);
  const findings = new Set(sessionFindings(bundle, maFullUrl, roots));
  const all = new Set([...roots, ...findings, ...responsesOf(index, findings)]);
  const encounter = index.resolve(ma.resource.context)?.ref;
  const refs = (pick: (o: Observation) => boolean): string[] => ofDose.filter((o) => pick(o.resource)).map((o) => o.ref);
  const isVital = (o: Observation): boolean =>
    bloodPressure(o) !== undefined || [heartRate(o), respiratoryRate(o), oxygenSaturation(o)].some((v) => v !== undefined);
  const weight = (ma.resource.supportingInformation ?? []).map((r) => index.resolve(r)).find((e) => e && hasKapProfile(e.resource, 'kap-body-weight'));
  const procedures = index.ofType('Procedure');
  const procedure =
    procedures.find((p) => (p.resource.partOf ?? []).some((r) => index.resolve(r)?.ref === ma.ref)) ??
    procedures.find((p) => encounter !== undefined && index.resolve(p.resource.encounter)?.ref === encounter);
  const sideEffects = index
    .ofType('AdverseEvent')
    .filter(
      (e) =>
        (e.resource.suspectEntity ?? []).some((s) => index.resolve(s.instance)?.ref === ma.ref) ||
        (encounter !== undefined && index.resolve(e.resource.encounter)?.ref === encounter)
    )
    .map((e) => e.ref);
  const signals = index
    .ofType('DetectedIssue')
    .filter((d) => all.has(d.ref) || (d.resource.implicated ?? []).some((r) => all.has(index.resolve(r)?.ref ?? '')))
    .map((d) => d.ref);
  const medications = index
    .ofType('MedicationStatement')
    .filter((m) => encounter !== undefined && index.resolve(m.resource.context)?.ref === encounter && m.resource.status !== 'entered-in-error')
    .map((m) => m.ref);
  const prescription = index.resolve(ma.resource.request)?.ref;
  const scores = index
    .ofType('Observation')
    .filter(
      (o) =>
        usable(o.resource) &&
        (hasKapProfile(o.resource, 'kap-change-from-baseline') ||
          (hasKapProfile(o.resource, 'kap-instrument-score') && (o.resource.code.coding ?? []).some((c) => TRAJECTORY_TOTALS.includes(c.code ?? ''))))
    )
    .map((o) => o.ref);
  const unscored = (['phq9', 'gad7', 'pcl5'] as const).flatMap((i) => unscoredResponseEntries(index, i).map((q) => q.ref));
  const suicideRisk = index
    .ofType('Observation')
    .filter((o) => usable(o.resource) && hasKapProfile(o.resource, 'kap-instrument-score') && (o.resource.code.coding ?? []).some((c) => c.code === '93374-7'))
    .map((o) => o.ref);
  const screening = index
    .ofType('Observation')
    .filter((o) => encounter !== undefined && usable(o.resource) && hasKapProfile(o.resource, 'kap-screening') && index.resolve(o.resource.encounter)?.ref === encounter)
    .map((o) => o.ref);
  const rx = index.resolve(ma.resource.request)?.resource;
  const people = [
    ...(ma.resource.performer ?? []).map((x) => x.actor),
    ...(procedure?.resource.performer ?? []).map((x) => x.actor),
    rx?.resourceType === 'MedicationRequest' ? rx.requester : undefined,
  ]
    .map((r) => index.resolve(r))
    .filter((x) => x?.resource.resourceType === 'Practitioner')
    .map((x) => x?.ref ?? '');
  return {
    index,
    ma,
    ofDose,
    findings,
    all,
    ...(prescription !== undefined ? { prescription } : {}),
    ...(encounter !== undefined ? { encounter } : {}),
    ...(weight ? { bodyWeight: weight.ref } : {}),
    vitals: refs(isVital),
    sedation: refs((o) => hasKapProfile(o, 'kap-sedation-score')),
    dissociation: refs((o) => hasKapProfile(o, 'kap-dissociation-score')),
    respiratoryDepression: refs((o) => hasKapProfile(o, 'kap-respiratory-depression')),
    sideEffects,
    signals,
    medications,
    screening,
    discharge: refs((o) => hasKapProfile(o, 'kap-discharge-readiness')),
    plan: refs((o) => hasKapProfile(o, 'kap-dosing-plan')),
    ...(procedure ? { procedure: procedure.ref } : {}),
    scores: [...scores, ...unscored],
    suicideRisk,
    careTeam: [...new Set(people)],
  };
}

/** What the prescriber's Bundle of the session starts from (src/sync/prescriber-deliveries.ts): the MA, what is `partOf` it, its AdverseEvents. */
function sessionRoots(index: BundleIndex, ma: IndexedEntry<MedicationAdministration>): string[] {
  const roots = [ma.ref];
  for (const e of index.entries) {
    const r = e.resource;
    const partOf = r.resourceType === 'Observation' && (r.partOf ?? []).some((p) => index.resolve(p)?.ref === ma.ref);
    const suspect = r.resourceType === 'AdverseEvent' && (r.suspectEntity ?? []).some((s) => index.resolve(s.instance)?.ref === ma.ref);
    if ((partOf || suspect) && e.fullUrl) {
      roots.push(e.fullUrl);
    }
  }
  return roots;
}

/**
 * The QuestionnaireResponses the session's scores derive from: a signal about the answers themselves (PHQ-9 item 9)
 * implicates the response, not the score.
 */
function responsesOf(index: BundleIndex, findings: ReadonlySet<string>): string[] {
  return [...findings].flatMap((url) => {
    const r = index.resolve({ reference: url })?.resource;
    return r?.resourceType === 'Observation'
      ? (r.derivedFrom ?? [])
          .map((d) => index.resolve(d))
          .filter((e) => e?.resource.resourceType === 'QuestionnaireResponse')
          .map((e) => e?.ref ?? '')
      : [];
  });
}
