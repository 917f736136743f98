/**
 * fast-check arbitraries of VALID KAP episodes (docs/kap-model.md): consistent ids and references
 * (every referenced practitioner, prescription and session exists; ids unique per identifier space),
 * ordered times (end ≥ start, discharge after the dose), plausible vitals, answers among each item's
 * scores. Collections the way back cannot order by content come out in its canonical order
 * (docs/mapping.md): sessions by start, vital signs by time, prescriptions by authoredOn, questionnaire
 * results by authored (ties by id), side effects and reviewed medications by id. Ids are random, so id
 * order ≠ time order. The issue-13 fields follow the episode rules (src/kap/episode.ts): a dose reason iff
 * the dose was not given (`patient-refused` iff refused), devices × 28 mg = the esketamine dose, form and
 * strength for racemic ketamine only, the plan's author in the care team, ready for discharge after the
 * dose start, a medication review with "none" or a list, a screening with items or "none known".
 */
import fc from 'fast-check';
import { getInstrument, INSTRUMENT_IDS } from '../../src/instruments/index.js';
import {
  CARE_ROLES,
  DISCHARGE_TRANSPORTS,
  DOSE_FORMS,
  DOSE_STATUS_REASONS,
  ESKETAMINE_MG_PER_DEVICE,
  KAP_ROUTES,
  MEDICATION_CLASSES,
  PLAN_RECOMMENDATIONS,
  SCREENING_ITEMS,
  SIDE_EFFECT_OUTCOMES,
  SIDE_EFFECTS,
  type KapEpisodeInput,
} from '../../src/kap/index.js';

type Gen = fc.GeneratorValue;

/** Fictional, Luhn-valid NPIs (80840 prefix rule). */
export const FICTIONAL_NPIS = ['1234567893', '1245319599', '1555010010', '1555010028', '1555010036', '1555010044'];
const INDICATIONS = ['F32.2', 'F33.1', 'F33.2', 'F43.10', 'F43.12', 'F41.1', 'F42.2', 'G89.29', 'F31.4'] as const;
const OFFSETS = [-420, -300, -240, 0, 60, 330] as const;
const GIVEN = ['Avery', 'Rowan', 'Jamie', 'Quinn', 'Sage', 'Emerson'] as const;
const FAMILY = ['Testperson', 'Examplar', 'Samplewell', 'Fictionara'] as const;
const ROLES = CARE_ROLES;
const ROUTES = KAP_ROUTES;
const EFFECTS = SIDE_EFFECTS;
const OUTCOMES = SIDE_EFFECT_OUTCOMES;
const FORMS = DOSE_FORMS;
/** Reasons for a held or partial dose (`patient-refused` belongs to a refused dose: episode rule). */
const HOLD_REASONS = DOSE_STATUS_REASONS.filter((r) => r !== 'patient-refused');
const TRANSPORTS = DISCHARGE_TRANSPORTS;
const PLANS = PLAN_RECOMMENDATIONS;
const MED_CLASSES = MEDICATION_CLASSES;
/** Written sigs (fictional free text; never equal to the generated one). */
const SIGS = [
  'Dissolve one lozenge under the tongue at the start of each session; hold 15 minutes, then spit.',
  'Infuse over 40 minutes by pump. Hold if BP > 160/100 before the dose.',
  'Two sprays per device, one per nostril, 5 minutes between devices.',
] as const;
/** Esketamine nasal spray: 28 mg per device (Spravato label). */
const MG_PER_DEVICE = ESKETAMINE_MG_PER_DEVICE;
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** Formats an instant as an ISO 8601 date-time with seconds in the given offset (minutes; 0 → `Z` or `+00:00`). */
export function formatDateTime(ms: number, offsetMinutes: number, zulu = false): string {
  const local = new Date(ms + offsetMinutes * MINUTE).toISOString().slice(0, 19);
  if (offsetMinutes === 0 && zulu) {
    return `${local}Z`;
  }
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

function date(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Chronological (by instant, across offsets), then by id in code-unit order. */
export function chronological<T extends { id: string }>(time: (x: T) => string): (a: T, b: T) => number {
  return (a, b) => Date.parse(time(a)) - Date.parse(time(b)) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** A builder of one episode from fast-check's generator (dependent values, still seeded and shrinkable). */
function buildEpisode(g: Gen): KapEpisodeInput {
  const used = new Set<string>();
  const token = (prefix: string): string => {
    let t = `${prefix}-${g(fc.stringMatching, /^[A-Za-z0-9]{1,6}$/)}`;
    while (used.has(t)) {
      t += 'x';
    }
    used.add(t);
    return t;
  };
  const bool = (): boolean => g(fc.boolean);
  const int = (min: number, max: number): number => g(fc.integer, { min, max });
  const pick = <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)];
  const subset = <T>(xs: readonly T[], min: number): T[] => g(fc.shuffledSubarray, [...xs], { minLength: min });
  const offset = pick(OFFSETS);
  const zulu = bool();
  const at = (ms: number): string => formatDateTime(ms, offset, zulu);
  const tenth = (min: number, max: number): number => int(min * 10, max * 10) / 10;

  const t0 = Date.UTC(2025, 0, 1) + int(0, 600) * DAY + int(0, 23 * 60) * MINUTE;

  // care team: the first member always prescribes (prescriptions need one)
  const careTeam = Array.from({ length: int(1, 4) }, (_, i) => {
    const roles = i === 0 ? ['prescriber', ...subset(ROLES.filter((r) => r !== 'prescriber'), 0)] : subset(ROLES, 1);
    return {
      id: token('pr'),
      name: { given: subset(GIVEN, 1).slice(0, 2), family: pick(FAMILY) },
      roles: g(fc.shuffledSubarray, roles, { minLength: roles.length }) as (typeof ROLES)[number][],
      ...(bool() ? { npi: pick(FICTIONAL_NPIS) } : {}),
      ...(roles.includes('prescriber') && bool() ? { external: true } : {}),
    };
  });
  const memberIds = careTeam.map((m) => m.id);
  const prescribers = careTeam.filter((m) => m.roles.includes('prescriber')).map((m) => m.id);

  // form and strength: racemic ketamine only (episode rule)
  const formAndStrength = (product: 'ketamine' | 'esketamine') =>
    product === 'ketamine'
      ? {
          ...(bool() ? { form: pick(FORMS) } : {}),
          ...(bool() ? { strength: { mg: tenth(0.1, 200), per: pick(['mL', 'unit'] as const) } } : {}),
        }
      : {};
  const prescribed = (): { unit: 'mg'; value: number } | { unit: 'mg/kg'; value: number } =>
    bool() ? { unit: 'mg' as const, value: tenth(0.1, 300) } : { unit: 'mg/kg' as const, value: int(1, 20) / 20 };

  const prescriptions = Array.from({ length: int(0, 3) }, () => {
    const start = t0 + int(0, 20) * DAY;
    const product = pick(['ketamine', 'esketamine'] as const);
    return {
      id: token('rx'),
      prescriberId: pick(prescribers),
      status: pick(['active', 'completed', 'cancelled', 'on-hold'] as const),
      authoredOn: at(start + int(0, 600) * MINUTE),
      product,
      route: pick(ROUTES),
      dose: prescribed(),
      sessions: int(1, 12),
      validity: { start: date(start), ...(bool() ? { end: date(start + int(0, 120) * DAY) } : {}) },
      ...formAndStrength(product),
      ...(bool() ? { minIntervalDays: int(1, 365) } : {}),
      ...(bool() ? { sig: pick(SIGS) } : {}),
    };
  }).sort(chronological((p) => p.authoredOn));

  /** A medication review: "none", or medications sorted by id (the way back's order). */
  const medicationReview = (startMs: number) =>
    bool()
      ? { reviewedAt: at(startMs + int(0, 60) * MINUTE), none: true }
      : {
          reviewedAt: at(startMs + int(0, 60) * MINUTE),
          ...(bool() ? { none: false } : {}),
          medications: Array.from({ length: int(1, 3) }, () => ({
            id: token('m'),
            class: pick(MED_CLASSES),
            ...(bool() ? { name: pick(['Sertraline', 'Clonazepam', 'Lisdexamfetamine', 'Zolpidem', 'Lamotrigine']) } : {}),
            ...(bool() ? { status: pick(['active', 'on-hold', 'stopped'] as const) } : {}),
          })).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
        };
  /** A screening: items asked, and/or "none known" (then no item present). */
  const screening = (startMs: number) => {
    const noneKnown = bool();
    const items = subset(SCREENING_ITEMS, noneKnown ? 0 : 1);
    const results = noneKnown ? (['absent', 'unknown'] as const) : (['present', 'absent', 'unknown'] as const);
    return {
      screenedAt: at(startMs + int(0, 60) * MINUTE),
      ...(noneKnown || bool() ? { noneKnown } : {}),
      findings: Object.fromEntries(items.map((item) => [item, pick(results)])),
    };
  };
  const reviewAndScreening = (startMs: number) => ({
    ...(bool() ? { medicationReview: medicationReview(startMs) } : {}),
    ...(bool() ? { screening: screening(startMs) } : {}),
  });

  const sessions = Array.from({ length: int(0, 6) }, () => {
    const kind = pick(['assessment', 'preparation', 'dosing', 'dosing', 'integration', 'follow-up'] as const);
    const start = t0 + int(0, 60) * DAY + int(0, 600) * MINUTE;
    const base = {
      id: token('s'),
      start: at(start),
      ...(bool() ? { end: at(start + int(15, 300) * MINUTE) } : {}),
      practitionerIds: subset(memberIds, 0),
      ...reviewAndScreening(start),
    };
    if (kind !== 'dosing' || prescriptions.length === 0) {
      return { ...base, kind: kind === 'dosing' ? ('integration' as const) : kind };
    }
    const doseStart = start + int(0, 30) * MINUTE;
    const doseEnd = bool() ? doseStart + int(0, 60) * MINUTE : undefined;
    const vitals = Array.from({ length: int(0, 6) }, () => {
      const common = {
        id: token('v'),
        time: at(start + int(0, 300) * MINUTE),
        phase: pick(['pre-dose', 'during-dose', 'post-dose'] as const),
      };
      switch (pick(['blood-pressure', 'heart-rate', 'oxygen-saturation', 'respiratory-rate', 'sedation'] as const)) {
        case 'blood-pressure': {
          const systolic = int(80, 200);
          return { ...common, kind: 'blood-pressure' as const, systolic, diastolic: int(40, systolic - 1) };
        }
        case 'heart-rate':
          return { ...common, kind: 'heart-rate' as const, value: int(30, 180) };
        case 'oxygen-saturation':
          return { ...common, kind: 'oxygen-saturation' as const, value: tenth(70, 100) };
        case 'sedation':
          return { ...common, kind: 'sedation' as const, moaas: int(0, 5) };
        default:
          return { ...common, kind: 'respiratory-rate' as const, value: int(6, 40) };
      }
    }).sort(chronological((v) => v.time));
    const sideEffects = Array.from({ length: int(0, 3) }, () => ({
      id: token('se'),
      effect: pick(EFFECTS),
      severity: pick(['mild', 'moderate', 'severe'] as const),
      ...(bool() ? { onset: at(doseStart + int(0, 120) * MINUTE) } : {}),
      ...(bool() ? { serious: bool() } : {}),
      ...(bool() ? { outcome: pick(OUTCOMES) } : {}),
    })).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const product = pick(['ketamine', 'esketamine'] as const);
    // esketamine: devices × 28 mg is the dose when the devices are counted (episode rule)
    const deviceCount = product === 'esketamine' && bool() ? int(1, 3) : undefined;
    // a reason iff the dose was not given; `patient-refused` iff refused (episode rules)
    const doseStatus = pick(['given', 'given', 'held', 'partial', 'refused'] as const);
    const doseStatusReason =
      doseStatus === 'given' ? undefined : doseStatus === 'refused' ? ('patient-refused' as const) : pick(HOLD_REASONS);
    return {
      ...base,
      kind: 'dosing' as const,
      prescriptionId: pick(prescriptions).id,
      product,
      route: pick(ROUTES),
      dose:
        deviceCount !== undefined
          ? { unit: 'mg' as const, value: deviceCount * MG_PER_DEVICE }
          : bool()
            ? { unit: 'mg' as const, value: tenth(0.1, 300), ...(bool() ? { bodyWeightKg: tenth(30, 400) } : {}) }
            : { unit: 'mg/kg' as const, value: int(1, 20) / 20, bodyWeightKg: tenth(30, 400) },
      ...(doseStatus !== 'given' || bool() ? { doseStatus } : {}),
      ...(doseStatusReason !== undefined ? { doseStatusReason } : {}),
      ...formAndStrength(product),
      ...(deviceCount !== undefined ? { deviceCount } : {}),
      ...(product === 'esketamine' && bool() ? { selfAdministered: bool() } : {}),
      doseStart: at(doseStart),
      ...(doseEnd !== undefined ? { doseEnd: at(doseEnd) } : {}),
      ...(bool() ? { lotNumber: g(fc.stringMatching, /^[A-Z]{2}[0-9]{2,6}$/) } : {}),
      administeredBy: pick(memberIds),
      monitoredBy: subset(memberIds, 1),
      vitals,
      ...(bool()
        ? { dissociation: { instrument: 'cadss6' as const, score: int(0, 24), ...(bool() ? { time: at(doseStart + int(0, 90) * MINUTE) } : {}) } }
        : {}),
      sideEffects,
      ...(bool() ? { respiratoryDepression: { observed: bool(), time: at(doseStart + int(0, 120) * MINUTE) } } : {}),
      // ready for discharge at or after the dose start (episode rule)
      ...(bool()
        ? { discharge: { criteriaMet: bool(), readyAt: at(doseStart + int(0, 240) * MINUTE), transport: pick(TRANSPORTS) } }
        : {}),
      ...(bool() ? { dischargedAt: at(doseStart + int(0, 240) * MINUTE) } : {}),
      // the plan's author is a care-team member (episode rule)
      ...(bool()
        ? {
            plan: {
              recommendation: pick(PLANS),
              ...(bool() ? { nextDose: prescribed() } : {}),
              ...(bool() ? { note: pick(['Tolerated well.', 'Consider 0.1 mg/kg increase if no response.']) } : {}),
              authorId: pick(memberIds),
              time: at(doseStart + int(60, 300) * MINUTE),
            },
          }
        : {}),
    };
  }).sort(chronological((s) => s.start));

  const questionnaires = Array.from({ length: int(0, 4) }, () => {
    const instrument = pick(INSTRUMENT_IDS);
    const answers: Record<string, number> = {};
    // complete half the time, so totals, PHQ-9 item 9 and changes from baseline are derived often
    const complete = bool();
    for (const item of getInstrument(instrument).items) {
      if (complete || bool() || bool()) {
        answers[item.linkId] = pick(item.options).score;
      }
    }
    return {
      id: token('q'),
      instrument,
      authored: at(t0 + int(0, 60) * DAY + int(0, 600) * MINUTE),
      ...(sessions.length > 0 && bool() ? { sessionId: pick(sessions).id } : {}),
      answers,
    };
  }).sort(chronological((q) => q.authored));

  const periodEnd = bool() ? { end: at(t0 + int(61, 90) * DAY) } : {};
  return {
    id: token('ep'),
    version: int(1, 1000),
    updatedAt: at(t0 + int(0, 90) * DAY),
    status: pick(['planned', 'active', 'finished', 'cancelled'] as const),
    period: { start: at(t0), ...periodEnd },
    clinic: { id: token('clinic'), name: `${pick(FAMILY)} KAP Clinic`, ...(bool() ? { npi: pick(FICTIONAL_NPIS) } : {}) },
    patient: {
      id: token('pt'),
      name: { given: subset(GIVEN, 1).slice(0, 2), family: 'Testperson' },
      birthDate: date(Date.UTC(1930, 0, 1) + int(0, 27_000) * DAY),
      gender: pick(['male', 'female', 'other', 'unknown'] as const),
      // never an empty `contact: {}`: FHIR has no place for it (docs/mapping.md)
      ...pick([
        {},
        { contact: { phone: `+1-555-01${String(int(0, 99)).padStart(2, '0')}` } },
        { contact: { email: `${token('p').toLowerCase()}@example.org` } },
        { contact: { phone: '+1-555-0123', email: 'someone@example.org' } },
      ]),
      ...(bool()
        ? {
            identifiers: Array.from({ length: int(1, 2) }, (_, i) => ({
              system: `urn:oid:2.16.840.1.113883.3.7418.${i + 1}`,
              value: `MRN-${int(10000, 99999)}`,
              ...(bool() ? { type: pick(['MR', 'MB', 'PI'] as const) } : {}),
            })),
          }
        : {}),
    },
    indications: Array.from({ length: int(1, 3) }, () => ({
      id: token('dx'),
      code: pick(INDICATIONS),
      treatmentResistant: bool(),
      ...(bool() ? { onsetDate: date(t0 - int(30, 5000) * DAY) } : {}),
    })),
    careTeam,
    prescriptions,
    sessions,
    questionnaires,
  };
}

/** Valid KAP episodes (input form, as a clinic would send them). */
export const kapEpisodeArbitrary: fc.Arbitrary<KapEpisodeInput> = fc.gen().map(buildEpisode);
