/**
 * Table-driven test on the real compiled KAP package: every profile has a valid example that
 * validates without error (alone and inside a transaction Bundle), and at least eight broken
 * variants of it, each caught with the expected FHIRPath `expression`.
 */
import { describe, expect, test } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Bundle, OperationOutcome, Resource, StructureDefinition } from '@medplum/fhirtypes';
import { KAP_OBSERVATION as KAP_OBSERVATION_CS, kapExtension, kapProfile } from '../terminology/systems.js';
import { kapPackageDir, Validator } from './validator.js';

type Json = Record<string, any>;

/** One broken variant: a mutation of the valid example and the issue it must produce. */
interface Variant {
  name: string;
  mutate: (r: Json) => Json | Bundle;
  /** Expected `expression` of an error issue (for a Bundle variant, of its entry 0). */
  expression: string;
  /** Optional: the issue code expected. */
  code?: string;
}

const dir = kapPackageDir();
const validator = new Validator();
const examples: Resource[] = readdirSync(join(dir, 'example'))
  .filter((f) => f.endsWith('.json') && !f.startsWith('.'))
  .map((f) => JSON.parse(readFileSync(join(dir, 'example', f), 'utf8')) as Resource);
const profiles: StructureDefinition[] = readdirSync(dir)
  .filter((f) => f.startsWith('StructureDefinition-'))
  .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as StructureDefinition)
  .filter((sd) => sd.kind === 'resource');

const clone = <T>(v: T): T => structuredClone(v);

function errors(o: OperationOutcome): string[] {
  return (o.issue ?? [])
    .filter((i) => i.severity === 'error' || i.severity === 'fatal')
    .flatMap((i) => (i.expression ?? []).map((e) => `${i.code} ${e}`));
}

function exampleFor(url: string): Json {
  const found = examples.find((e) => e.meta?.profile?.includes(url));
  if (!found) {
    throw new Error(`no example declares ${url}`);
  }
  return clone(found) as Json;
}

/** Appends an extension to the resource root; the expected expression is its index. */
function withExtension(r: Json, ext: Json): Json {
  r.extension = [...(r.extension ?? []), ext];
  return r;
}
const extIndex = (r: Json): number => (r.extension ?? []).length;

/** A transaction Bundle: entry 0 = the resource with `set(ref)` applied, entry 1 = `target`. */
function bundleWith(r: Json, set: (r: Json, ref: { reference: string }) => void, target: Json): Bundle {
  const ref = { reference: 'urn:uuid:00000000-0000-4000-8000-000000000002' };
  set(r, ref);
  delete r.id;
  delete target.id;
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      { fullUrl: 'urn:uuid:00000000-0000-4000-8000-000000000001', resource: r as Resource, request: { method: 'POST', url: r.resourceType } },
      { fullUrl: ref.reference, resource: target as Resource, request: { method: 'POST', url: target.resourceType } },
    ],
  };
}
const basePatient = (): Json => ({ resourceType: 'Patient', gender: 'female' });

/** Extension with the right context for the type, to test a wrong value type on its own. */
const ownExtension: Record<string, { url: string; wrong: Json }> = {
  Observation: { url: kapExtension('kap-dosing-phase'), wrong: { valueBoolean: true } },
  MedicationAdministration: { url: kapExtension('kap-lot-number'), wrong: { valueBoolean: true } },
  MedicationRequest: { url: kapExtension('kap-session-count'), wrong: { valueString: 'six' } },
  Condition: { url: kapExtension('kap-condition-qualifier'), wrong: { valueBoolean: true } },
  EpisodeOfCare: { url: kapExtension('kap-source-version'), wrong: { valueString: 'one' } },
};

/** The element with a base R4 required binding each type's common variant breaks (default `status`). */
const baseCoded: Record<string, [string, unknown]> = {
  Patient: ['gender', 'not-a-code'],
  AdverseEvent: ['actuality', 'not-a-code'],
  Condition: ['clinicalStatus', { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'nope' }] }],
};

/** Variants every profile gets: base required code, extension value type and context, top-level required. */
function commonVariants(type: string, topRequired: string): Variant[] {
  const own = ownExtension[type] ?? ownExtension.MedicationAdministration;
  const wrongKey = Object.keys(own.wrong)[0];
  const foreign =
    type === 'EpisodeOfCare'
      ? { url: kapExtension('kap-lot-number'), valueString: 'LOT-1' }
      : { url: kapExtension('kap-source-version'), valueInteger: 1 };
  const [statusElement, wrongCode] = baseCoded[type] ?? ['status', 'not-a-code'];
  const common: Variant[] = [
    {
      name: `missing required top-level ${topRequired}`,
      mutate: (r) => {
        delete r[topRequired];
        return r;
      },
      expression: `${type}.${topRequired}`,
      code: 'structure',
    },
    {
      name: `code outside a base required value set (${statusElement})`,
      mutate: (r) => ({ ...r, [statusElement]: wrongCode }),
      expression: `${type}.${statusElement}`,
      code: 'code-invalid',
    },
    {
      name: 'wrong extension value type',
      mutate: (r) => withExtension(r, { url: own.url, ...own.wrong }),
      expression: '', // filled in by the runner: extension index
      code: 'structure',
    },
    {
      name: 'extension in the wrong context',
      mutate: (r) => withExtension(r, foreign),
      expression: '', // filled in by the runner
      code: 'structure',
    },
  ];
  return common.map((v) => ({ ...v, wrongKey }));
}

const coding = (system: string, code: string): Json => ({ coding: [{ system, code }] });
const SCT = 'http://snomed.info/sct';
const notInVs = coding(SCT, '404684003'); // Clinical finding: SNOMED, but in none of the KAP value sets

/** Per-profile variants (the common four are added to each). */
const table: Record<string, { top: string; variants: Variant[] }> = {
  'kap-patient': {
    top: 'identifier',
    variants: [
      { name: 'missing required in backbone (communication.language)', mutate: (r) => ({ ...r, communication: [{ preferred: true }] }), expression: 'Patient.communication[0].language' },
      { name: 'code outside a required value set (contact.gender)', mutate: (r) => ({ ...r, contact: [{ gender: 'unknown-gender' }] }), expression: 'Patient.contact[0].gender', code: 'code-invalid' },
      { name: 'link.type outside its required value set', mutate: (r) => ({ ...r, link: [{ other: { reference: 'Patient/x' }, type: 'merged' }] }), expression: 'Patient.link[0].type', code: 'code-invalid' },
      { name: 'wrong target type (in a Bundle)', mutate: (r) => bundleWith(r, (x, ref) => (x.managingOrganization = ref), basePatient()), expression: 'Bundle.entry[0].resource.managingOrganization' },
      { name: 'unresolvable urn reference (in a Bundle)', mutate: (r) => { const b = bundleWith(r, (x, ref) => (x.generalPractitioner = [ref]), basePatient()); (b.entry as Json[]).pop(); return b; }, expression: 'Bundle.entry[0].resource.generalPractitioner[0]', code: 'not-found' },
    ],
  },
  'kap-episode': {
    top: 'patient',
    variants: [
      { name: 'missing required in backbone (diagnosis.condition)', mutate: (r) => ({ ...r, diagnosis: [{ rank: 1 }] }), expression: 'EpisodeOfCare.diagnosis[0].condition' },
      { name: 'missing required extension slice (kap-source-version)', mutate: (r) => { delete r.extension; return r; }, expression: 'EpisodeOfCare.extension' },
      { name: 'statusHistory.status outside its required value set', mutate: (r) => ({ ...r, statusHistory: [{ status: 'nope', period: { start: '2026-01-01' } }] }), expression: 'EpisodeOfCare.statusHistory[0].status', code: 'code-invalid' },
      { name: 'reference to the wrong target profile (in a Bundle)', mutate: (r) => bundleWith(r, (x, ref) => (x.patient = ref), basePatient()), expression: 'Bundle.entry[0].resource.patient' },
    ],
  },
  'kap-condition': {
    top: 'subject',
    variants: [
      { name: 'missing required in backbone (stage: summary or assessment, con-1)', mutate: (r) => ({ ...r, stage: [{ type: { text: 'stage' } }] }), expression: 'Condition.stage[0]', code: 'invariant' },
      { name: 'code outside our required value set (kap-condition-qualifier)', mutate: (r) => ({ ...r, extension: [{ url: kapExtension('kap-condition-qualifier'), valueCodeableConcept: notInVs }] }), expression: 'Condition.extension[0].valueCodeableConcept', code: 'code-invalid' },
      { name: 'verificationStatus outside its required value set', mutate: (r) => ({ ...r, verificationStatus: coding('http://terminology.hl7.org/CodeSystem/condition-ver-status', 'nope') }), expression: 'Condition.verificationStatus', code: 'code-invalid' },
      { name: 'reference to the wrong target profile (in a Bundle)', mutate: (r) => bundleWith(r, (x, ref) => (x.subject = ref), basePatient()), expression: 'Bundle.entry[0].resource.subject' },
    ],
  },
  'kap-ketamine-prescription': {
    top: 'requester',
    variants: [
      { name: 'missing required in backbone (substitution.allowed[x])', mutate: (r) => ({ ...r, substitution: { reason: { text: 'x' } } }), expression: 'MedicationRequest.substitution.allowed[x]' },
      { name: 'wrong fixed value (intent)', mutate: (r) => ({ ...r, intent: 'plan' }), expression: 'MedicationRequest.intent' },
      { name: 'code outside our required value set (medication)', mutate: (r) => ({ ...r, medicationCodeableConcept: coding('http://www.nlm.nih.gov/research/umls/rxnorm', '161') }), expression: 'MedicationRequest.medicationCodeableConcept', code: 'code-invalid' },
      { name: 'code outside our required value set (route)', mutate: (r) => { r.dosageInstruction[0].route = notInVs; return r; }, expression: 'MedicationRequest.dosageInstruction[0].route', code: 'code-invalid' },
      { name: 'reference to the wrong target profile (in a Bundle)', mutate: (r) => bundleWith(r, (x, ref) => (x.subject = ref), basePatient()), expression: 'Bundle.entry[0].resource.subject' },
    ],
  },
  'kap-ketamine-administration': {
    top: 'request',
    variants: [
      { name: 'missing required in backbone (dosage.route)', mutate: (r) => { delete r.dosage.route; return r; }, expression: 'MedicationAdministration.dosage.route' },
      { name: 'wrong fixed value (dose unit not mg)', mutate: (r) => { r.dosage.dose.code = 'g'; return r; }, expression: 'MedicationAdministration.dosage.dose.code' },
      { name: 'code outside our required value set (route)', mutate: (r) => { r.dosage.route = notInVs; return r; }, expression: 'MedicationAdministration.dosage.route', code: 'code-invalid' },
      { name: 'code outside our required value set (product)', mutate: (r) => ({ ...r, medicationCodeableConcept: coding('http://www.nlm.nih.gov/research/umls/rxnorm', '161') }), expression: 'MedicationAdministration.medicationCodeableConcept', code: 'code-invalid' },
      { name: 'wrong fixed value in an extension (mg/kg)', mutate: (r) => { r.dosage.extension = [{ url: kapExtension('kap-dose-per-body-weight'), valueQuantity: { value: 1, unit: 'mg', system: 'http://unitsofmeasure.org', code: 'mg' } }]; return r; }, expression: 'MedicationAdministration.dosage.extension[0].valueQuantity.code' },
      { name: 'reference to the wrong target profile (in a Bundle)', mutate: (r) => bundleWith(r, (x, ref) => (x.subject = ref), basePatient()), expression: 'Bundle.entry[0].resource.subject' },
      { name: 'reference to the wrong target type (in a Bundle)', mutate: (r) => bundleWith(r, (x, ref) => (x.request = ref), basePatient()), expression: 'Bundle.entry[0].resource.request' },
    ],
  },
  'kap-psychotherapy-session': {
    top: 'encounter',
    variants: [
      { name: 'missing required in backbone (performer.actor)', mutate: (r) => { r.performer = [{ function: { text: 'x' } }]; return r; }, expression: 'Procedure.performer[0].actor' },
      { name: 'wrong pattern value (code)', mutate: (r) => ({ ...r, code: coding(SCT, '18512000') }), expression: 'Procedure.code' },
      { name: 'reference to the wrong target profile (in a Bundle)', mutate: (r) => bundleWith(r, (x, ref) => (x.subject = ref), basePatient()), expression: 'Bundle.entry[0].resource.subject' },
      { name: 'reference to the wrong target type (in a Bundle)', mutate: (r) => bundleWith(r, (x, ref) => (x.partOf = [ref]), basePatient()), expression: 'Bundle.entry[0].resource.partOf[0]' },
    ],
  },
  'kap-session-encounter': {
    top: 'period',
    variants: [
      { name: 'missing required in backbone (statusHistory.period)', mutate: (r) => ({ ...r, statusHistory: [{ status: 'planned' }] }), expression: 'Encounter.statusHistory[0].period' },
      { name: 'wrong fixed value (class)', mutate: (r) => ({ ...r, class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP' } }), expression: 'Encounter.class' },
      { name: 'code outside our required value set (type)', mutate: (r) => ({ ...r, type: [notInVs] }), expression: 'Encounter.type[0]', code: 'code-invalid' },
      { name: 'reference to the wrong target profile (in a Bundle)', mutate: (r) => bundleWith(r, (x, ref) => (x.subject = ref), basePatient()), expression: 'Bundle.entry[0].resource.subject' },
    ],
  },
  'kap-questionnaire-response': {
    top: 'authored',
    variants: [
      { name: 'missing required in backbone (item.linkId)', mutate: (r) => { delete r.item[0].linkId; return r; }, expression: 'QuestionnaireResponse.item[0].linkId' },
      { name: 'unknown linkId', mutate: (r) => { r.item.push({ linkId: 'no-such-item', answer: [{ valueInteger: 1 }] }); return r; }, expression: '', code: 'structure' },
      { name: 'wrong answer type', mutate: (r) => { r.item[0].answer = [{ valueString: 'x' }]; return r; }, expression: 'QuestionnaireResponse.item[0].answer[0].valueString' },
      { name: 'answer outside the answer options', mutate: (r) => { r.item[0].answer = [{ valueCoding: { system: 'http://loinc.org', code: 'LA0000-0' } }]; return r; }, expression: 'QuestionnaireResponse.item[0].answer[0].valueCoding', code: 'code-invalid' },
      { name: 'missing required item', mutate: (r) => { r.item = r.item.slice(1); return r; }, expression: '', code: 'required' },
      { name: 'two answers to an item that does not repeat', mutate: (r) => { r.item[0].answer = [r.item[0].answer[0], r.item[0].answer[0]]; return r; }, expression: 'QuestionnaireResponse.item[0].answer' },
      { name: 'reference to the wrong target profile (in a Bundle)', mutate: (r) => bundleWith(r, (x, ref) => (x.subject = ref), basePatient()), expression: 'Bundle.entry[0].resource.subject' },
    ],
  },
  'kap-rems-monitoring-response': {
    top: 'authored',
    variants: [
      { name: 'unknown linkId', mutate: (r) => { r.item.push({ linkId: 'no-such-item', answer: [{ valueInteger: 1 }] }); return r; }, expression: '', code: 'structure' },
      { name: 'wrong answer type (in a section)', mutate: (r) => { r.item[0].item[0].answer = [{ valueString: 'x' }]; return r; }, expression: 'QuestionnaireResponse.item[0].item[0].answer[0].valueString' },
      { name: 'dose outside the answer options', mutate: (r) => { r.item[0].item[0].answer = [{ valueInteger: 70 }]; return r; }, expression: 'QuestionnaireResponse.item[0].item[0].answer[0].valueInteger', code: 'code-invalid' },
      { name: 'missing required item', mutate: (r) => { r.status = 'completed'; r.item = r.item.slice(1); return r; }, expression: '', code: 'required' },
      { name: 'missing encounter', mutate: (r) => { delete r.encounter; return r; }, expression: 'QuestionnaireResponse.encounter' },
      { name: 'another Questionnaire (kap-rems-1)', mutate: (r) => ({ ...r, questionnaire: 'https://kap-fhir.org/fhir/Questionnaire/phq9' }), expression: 'QuestionnaireResponse' },
      { name: 'status other than in-progress or completed (kap-rems-2)', mutate: (r) => ({ ...r, status: 'stopped' }), expression: 'QuestionnaireResponse' },
      { name: 'reference to the wrong target profile (in a Bundle)', mutate: (r) => bundleWith(r, (x, ref) => (x.subject = ref), basePatient()), expression: 'Bundle.entry[0].resource.subject' },
    ],
  },
  'kap-session-summary': {
    top: 'title',
    variants: [
      { name: 'wrong fixed value (status)', mutate: (r) => ({ ...r, status: 'preliminary' }), expression: 'Composition.status' },
      { name: 'wrong pattern (type: another LOINC document)', mutate: (r) => ({ ...r, type: { coding: [{ system: 'http://loinc.org', code: '34133-9' }] } }), expression: 'Composition.type' },
      { name: 'missing required slice (the dose section)', mutate: (r) => ({ ...r, section: r.section.filter((x: Json) => x.code.coding[0].code !== 'dose') }), expression: 'Composition.section' },
      { name: 'code outside our required value set (section.code)', mutate: (r) => { r.section[1].code = notInVs; return r; }, expression: 'Composition.section[1].code', code: 'code-invalid' },
      { name: 'missing required in backbone (section.text)', mutate: (r) => { delete r.section[0].text; return r; }, expression: 'Composition.section[0].text' },
    ],
  },
  'kap-episode-summary': {
    top: 'title',
    variants: [
      { name: 'wrong fixed value (status)', mutate: (r) => ({ ...r, status: 'preliminary' }), expression: 'Composition.status' },
      { name: 'wrong pattern (type: the session summary\'s LOINC document)', mutate: (r) => ({ ...r, type: { coding: [{ system: 'http://loinc.org', code: '11506-3' }] } }), expression: 'Composition.type' },
      { name: 'missing required slice (the dosing sessions section)', mutate: (r) => ({ ...r, section: r.section.filter((x: Json) => x.code.coding[0].code !== 'dosing-sessions') }), expression: 'Composition.section' },
      { name: 'code outside our required value set (section.code)', mutate: (r) => { r.section[1].code = notInVs; return r; }, expression: 'Composition.section[1].code', code: 'code-invalid' },
      { name: 'missing required in backbone (section.text)', mutate: (r) => { delete r.section[0].text; return r; }, expression: 'Composition.section[0].text' },
      { name: 'missing required top-level event (the EpisodeOfCare)', mutate: (r) => { delete r.event; return r; }, expression: 'Composition.event' },
    ],
  },
  'kap-side-effect': {
    top: 'event',
    variants: [
      { name: 'missing required in backbone (suspectEntity.instance)', mutate: (r) => ({ ...r, suspectEntity: [{ causality: [{ productRelatedness: 'x' }] }] }), expression: 'AdverseEvent.suspectEntity[0].instance' },
      { name: 'wrong fixed value (actuality)', mutate: (r) => ({ ...r, actuality: 'potential' }), expression: 'AdverseEvent.actuality' },
      { name: 'code outside our required value set (event)', mutate: (r) => ({ ...r, event: notInVs }), expression: 'AdverseEvent.event', code: 'code-invalid' },
      { name: 'reference to the wrong target profile (in a Bundle)', mutate: (r) => bundleWith(r, (x, ref) => (x.subject = ref), basePatient()), expression: 'Bundle.entry[0].resource.subject' },
    ],
  },
  'kap-safety-signal': {
    top: 'implicated',
    variants: [
      { name: 'missing required in backbone (mitigation.action)', mutate: (r) => ({ ...r, mitigation: [{ date: '2026-01-01' }] }), expression: 'DetectedIssue.mitigation[0].action' },
      { name: 'code outside our required value set (code)', mutate: (r) => ({ ...r, code: notInVs }), expression: 'DetectedIssue.code', code: 'code-invalid' },
      { name: 'severity outside its required value set', mutate: (r) => ({ ...r, severity: 'dreadful' }), expression: 'DetectedIssue.severity', code: 'code-invalid' },
      { name: 'reference to the wrong target profile (in a Bundle)', mutate: (r) => bundleWith(r, (x, ref) => (x.patient = ref), basePatient()), expression: 'Bundle.entry[0].resource.patient' },
    ],
  },
  'kap-compounded-ketamine': {
    top: 'code',
    variants: [
      { name: 'missing required in backbone (ingredient.item[x])', mutate: (r) => { delete r.ingredient[0].itemCodeableConcept; return r; }, expression: 'Medication.ingredient[0].item[x]' },
      { name: 'wrong pattern value (code not ketamine)', mutate: (r) => ({ ...r, code: coding('http://www.nlm.nih.gov/research/umls/rxnorm', '2201625') }), expression: 'Medication.code' },
      { name: 'code outside our required value set (form)', mutate: (r) => ({ ...r, form: notInVs }), expression: 'Medication.form', code: 'code-invalid' },
      { name: 'wrong fixed value (strength numerator not mg)', mutate: (r) => { r.ingredient[0].strength.numerator.code = 'g'; return r; }, expression: 'Medication.ingredient.strength.numerator.code' },
    ],
  },
  'kap-medication-statement': {
    top: 'context',
    variants: [
      { name: 'missing required top-level dateAsserted', mutate: (r) => { delete r.dateAsserted; return r; }, expression: 'MedicationStatement.dateAsserted' },
      { name: 'code outside our required value set (medication)', mutate: (r) => ({ ...r, medicationCodeableConcept: notInVs }), expression: 'MedicationStatement.medicationCodeableConcept', code: 'code-invalid' },
      { name: 'wrong type (medicationReference)', mutate: (r) => { delete r.medicationCodeableConcept; r.medicationReference = { reference: 'Medication/x' }; return r; }, expression: 'MedicationStatement.medicationReference' },
      { name: 'reference to the wrong target profile (in a Bundle)', mutate: (r) => bundleWith(r, (x, ref) => (x.subject = ref), basePatient()), expression: 'Bundle.entry[0].resource.subject' },
    ],
  },
  'kap-safety-communication': {
    top: 'recipient',
    variants: [
      { name: 'missing required in backbone (payload.content[x])', mutate: (r) => ({ ...r, payload: [{}] }), expression: 'Communication.payload[0]' },
      { name: 'priority outside its required value set', mutate: (r) => ({ ...r, priority: 'whenever' }), expression: 'Communication.priority', code: 'code-invalid' },
      { name: 'reference to the wrong target profile (in a Bundle)', mutate: (r) => bundleWith(r, (x, ref) => (x.subject = ref), basePatient()), expression: 'Bundle.entry[0].resource.subject' },
      { name: 'reference to the wrong target type (in a Bundle)', mutate: (r) => bundleWith(r, (x, ref) => (x.about = [ref]), basePatient()), expression: 'Bundle.entry[0].resource.about[0]' },
    ],
  },
};

/** Observation profiles share their variants (component backbone, dosing-phase code, references). */
function observationVariants(id: string): Variant[] {
  const out: Variant[] = [
    { name: 'missing required in backbone (component.code)', mutate: (r) => ({ ...r, component: [{ dataAbsentReason: { text: 'x' } }] }), expression: 'Observation.component[0].code' },
    // kap-dosing-plan has no category (docs/design/issue-13-contract.md): its code is fixed instead
    id === 'kap-dosing-plan'
      ? { name: 'wrong pattern value (code)', mutate: (r) => ({ ...r, code: coding(KAP_OBSERVATION_CS, 'recommended-dose') }), expression: 'Observation.code' }
      : { name: 'wrong pattern value (category)', mutate: (r) => ({ ...r, category: [coding('http://terminology.hl7.org/CodeSystem/observation-category', 'laboratory')] }), expression: 'Observation.category' },
    { name: 'reference to the wrong target profile (in a Bundle)', mutate: (r) => bundleWith(r, (x, ref) => (x.subject = ref), basePatient()), expression: 'Bundle.entry[0].resource.subject' },
    { name: 'reference to the wrong target type (in a Bundle)', mutate: (r) => bundleWith(r, (x, ref) => (x.encounter = ref), basePatient()), expression: 'Bundle.entry[0].resource.encounter' },
  ];
  if (id === 'kap-blood-pressure') {
    out.push({
      name: 'wrong fixed value inside a slice (systolic unit not mm[Hg])',
      mutate: (r) => {
        r.component[0].valueQuantity.code = 'kPa';
        return r;
      },
      expression: 'Observation.component[0].valueQuantity.code',
    });
    out.push({ name: 'a required slice missing (no systolic component)', mutate: (r) => ({ ...r, component: r.component.slice(1) }), expression: 'Observation.component' });
  }
  if (id === 'kap-instrument-score') {
    out.push({ name: 'code outside our required value set (interpretation)', mutate: (r) => ({ ...r, interpretation: [notInVs] }), expression: 'Observation.interpretation[0]', code: 'code-invalid' });
    out.push({ name: 'code outside our required value set (code)', mutate: (r) => ({ ...r, code: coding('http://loinc.org', '8867-4') }), expression: 'Observation.code', code: 'code-invalid' });
  } else {
    out.push({
      name: 'code outside our required value set (kap-dosing-phase)',
      mutate: (r) => ({ ...r, extension: [{ url: kapExtension('kap-dosing-phase'), valueCode: 'mid-dose' }] }),
      expression: 'Observation.extension[0].valueCode',
      code: 'code-invalid',
    });
  }
  return out;
}

function variantsFor(sd: StructureDefinition): Variant[] {
  const id = sd.id as string;
  const row = table[id] ?? (sd.type === 'Observation' ? { top: 'subject', variants: observationVariants(id) } : undefined);
  if (!row) {
    throw new Error(`no broken variants written for profile ${id}`);
  }
  return [...commonVariants(sd.type, requiredTopLevel(sd, row.top)), ...row.variants];
}

/** The preferred top-level element if the profile requires it, else the first required one the example has. */
function requiredTopLevel(sd: StructureDefinition, preferred: string): string {
  const example = exampleFor(sd.url);
  const required = (sd.snapshot?.element ?? [])
    .filter((e) => e.path?.split('.').length === 2 && !e.path.endsWith('[x]') && !e.sliceName && (e.min ?? 0) > 0)
    .map((e) => (e.path as string).split('.')[1])
    .filter((name) => name in example && name !== 'extension');
  return required.includes(preferred) ? preferred : required[0];
}

describe('every valid KAP example', () => {
  test.each(examples.map((e) => [`${e.resourceType}/${e.id}`, e] as const))('%s validates without error', (_name, example) => {
    expect(errors(validator.validate(example))).toEqual([]);
  });

  test('all examples together in a transaction Bundle validate without error', () => {
    const bundle: Bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: examples.map((e) => ({ fullUrl: `https://example.org/fhir/${e.resourceType}/${e.id}`, resource: e, request: { method: 'PUT', url: `${e.resourceType}/${e.id}` } })),
    };
    expect(errors(validator.validate(bundle))).toEqual([]);
  });
});

describe.each(profiles.map((sd) => [sd.id as string, sd] as const))('profile %s', (id, sd) => {
  const variants = variantsFor(sd);

  test('has a valid example and at least eight broken variants', () => {
    const example = exampleFor(kapProfile(id));
    expect(errors(validator.validate(example as Resource))).toEqual([]);
    expect(variants.length).toBeGreaterThanOrEqual(8);
  });

  test.each(variants.map((v) => [v.name, v] as const))('catches: %s', (_name, v) => {
    const example = exampleFor(kapProfile(id));
    const index = extIndex(example);
    const firstLinkId = String((example as Json).item?.[0]?.linkId ?? '');
    const mutated = v.mutate(example);
    let expression = v.expression;
    if (v.name === 'wrong extension value type') {
      const key = Object.keys((mutated as Json).extension[index]).find((k) => k.startsWith('value')) as string;
      expression = `${sd.type}.extension[${index}].${key}`;
    } else if (v.name === 'extension in the wrong context') {
      expression = `${sd.type}.extension[${index}]`;
    } else if (v.name === 'unknown linkId') {
      expression = `QuestionnaireResponse.item[${(mutated as Json).item.length - 1}].linkId`;
    } else if (v.name === 'missing required item') {
      expression = `QuestionnaireResponse.item.where(linkId = '${firstLinkId}')`;
    }
    const o = validator.validate(mutated as Resource);
    const found = (o.issue ?? []).filter(
      (i) => i.severity === 'error' && (i.expression ?? []).includes(expression) && (!v.code || i.code === v.code)
    );
    expect({ expression, found: found.length > 0, errors: errors(o) }).toMatchObject({ found: true });
  });
});

test('the variants name elements only, never submitted values', () => {
  const patient = exampleFor(kapProfile('kap-patient'));
  const o = validator.validate({ ...patient, gender: 'Jane-Doe-1970' } as unknown as Resource);
  expect(JSON.stringify(o)).not.toContain('Jane-Doe-1970');
  expect(o.issue?.[0]).toMatchObject({ severity: 'error', code: 'code-invalid', expression: ['Patient.gender'] });
});
