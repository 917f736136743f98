/**
 * Contraindications and precautions at each dose given (docs/safety.md), from the latest screening Observation of
 * each item (`kap-screening#<item>`, docs/design/issue-13-contract.md) at or before the dose, from any session of
 * the episode. An item counts only when recorded present (valueBoolean true); absent or unknown does not fire.
 *
 * "None known" (`kap-screening#none-known` true) clears only the current states ({@link CURRENT_STATE_ITEMS}:
 * pregnancy, uncontrolled hypertension). The history items — intracerebral haemorrhage history, aneurysmal vascular
 * disease / AVM, psychosis or mania history, ketamine hypersensitivity and substance use disorder (a lifelong risk of
 * ketamine misuse, remission or not) — persist until explicitly recorded `absent`: a later "none known" is read as
 * "nothing new", never as the history erased.
 *
 * Exposure in pregnancy: a pregnancy recorded present in the dose's own session counts for that dose whatever its time
 * (found 5 min after the dose start, the dose was given in pregnancy); and a pregnancy recorded present after a given
 * dose, at any later session, fires contraindication-pregnancy for the latest given dose at or before it (the dose
 * that may have been given in pregnancy) if it was given at most {@link PREGNANCY_LOOKBACK_MS} (42 weeks) before the
 * finding, once per dose (citing the first such finding), unless that dose already fires contraindication-pregnancy:
 * the prescriber must know of every exposure.
 *
 * - pregnancy → contraindication-pregnancy (urgent; no label source checked for the severity — project default)
 * - aneurysmal vascular disease / AVM, intracerebral haemorrhage history → contraindication-vascular: esketamine
 *   urgent (Spravato label contraindications); racemic ketamine attention (the Ketalar label: patients in whom an
 *   elevation of BP would be a serious hazard — project mapping to attention)
 * - hypersensitivity to ketamine or esketamine → contraindication-hypersensitivity (urgent; Spravato and Ketalar
 *   labels: contraindicated)
 * - uncontrolled hypertension → precaution-uncontrolled-hypertension (attention; Ketalar label: BP elevation a
 *   serious hazard)
 * - psychosis or mania history → precaution-psychosis-history (attention; issue 13)
 * - substance use disorder → precaution-substance-use (attention; issue 13, project default)
 */
import type { MedicationAdministration, Observation } from '@medplum/fhirtypes';
import type { ScreeningItem } from '../kap/screening.js';
import type { BundleIndex, IndexedEntry } from '../bundle-index.js';
import { timeOf } from '../instruments/date-time.js';
import { KAP_SCREENING } from '../terminology/systems.js';
import { doseStart, givenDoses, isEsketamine, usable } from './episode-view.js';
import type { SafetyRule, SafetySignal, SignalSeverity } from './types.js';

/** The screening item of an Observation (`kap-screening` code), `none-known`, or undefined. */
function screeningCode(o: Observation): ScreeningItem | 'none-known' | undefined {
  return o.code.coding?.find((c) => c.system === KAP_SCREENING && c.code)?.code as ScreeningItem | 'none-known' | undefined;
}

/**
 * How far before a pregnancy found present a dose may have been given in that pregnancy: 42 weeks, the end of a
 * post-term pregnancy (WHO: post-term is 42 completed weeks or more). A dose earlier than that cannot have been.
 */
export const PREGNANCY_LOOKBACK_MS = 42 * 7 * 24 * 3_600_000;

/** The items a later "none known" clears: current states. Every other item is history, cleared only by `absent`. */
export const CURRENT_STATE_ITEMS: readonly ScreeningItem[] = ['pregnancy', 'uncontrolled-hypertension'];

/** True for a usable pregnancy Observation recorded present. */
function pregnancyPresent(o: Observation): boolean {
  return usable(o) && screeningCode(o) === 'pregnancy' && o.valueBoolean === true;
}

/**
 * The screening items recorded present at a time: for each item, its latest Observation at or before `when` with
 * valueBoolean true — unless, for a current state (CURRENT_STATE_ITEMS), a "none known" Observation is later.
 * Returns the present items' Observations.
 */
export function presentFindings(index: BundleIndex, when: number): Map<ScreeningItem, IndexedEntry<Observation>> {
  const latest = new Map<ScreeningItem, { e: IndexedEntry<Observation>; t: number }>();
  let noneKnownAt = -Infinity;
  for (const o of index.ofType('Observation')) {
    const code = usable(o.resource) ? screeningCode(o.resource) : undefined;
    const t = timeOf(o.resource.effectiveDateTime);
    if (code === undefined || t === undefined || t > when) {
      continue;
    }
    if (code === 'none-known') {
      if (o.resource.valueBoolean === true) {
        noneKnownAt = Math.max(noneKnownAt, t);
      }
      continue;
    }
    const current = latest.get(code);
    if (!current || t >= current.t) {
      latest.set(code, { e: o, t });
    }
  }
  const present = new Map<ScreeningItem, IndexedEntry<Observation>>();
  for (const [item, { e, t }] of latest) {
    if (e.resource.valueBoolean === true && (t > noneKnownAt || !CURRENT_STATE_ITEMS.includes(item))) {
      present.set(item, e);
    }
  }
  return present;
}

/** The rule and severity an item raises at a dose, or undefined. */
function ruleOf(item: ScreeningItem, ma: MedicationAdministration): { rule: SafetyRule; severity: SignalSeverity } | undefined {
  switch (item) {
    case 'pregnancy':
      return { rule: 'contraindication-pregnancy', severity: 'urgent' };
    case 'aneurysmal-vascular-disease-or-avm':
    case 'intracerebral-hemorrhage-history':
      return { rule: 'contraindication-vascular', severity: isEsketamine(ma) ? 'urgent' : 'attention' };
    case 'ketamine-hypersensitivity':
      return { rule: 'contraindication-hypersensitivity', severity: 'urgent' };
    case 'uncontrolled-hypertension':
      return { rule: 'precaution-uncontrolled-hypertension', severity: 'attention' };
    case 'psychosis-or-mania-history':
      return { rule: 'precaution-psychosis-history', severity: 'attention' };
    case 'substance-use-disorder':
      return { rule: 'precaution-substance-use', severity: 'attention' };
    default:
      return undefined;
  }
}

/**
 * One signal per rule per dose given. Resources: the MA, then the screening Observation(s) present. A pregnancy
 * recorded present in the dose's own session (its Encounter) counts whatever its time; a pregnancy recorded present
 * after a given dose (any later session) fires for the latest given dose at or before it, once (the module comment).
 */
export function contraindicationSignals(index: BundleIndex): SafetySignal[] {
  const doses = givenDoses(index).flatMap((ma) => {
    const when = timeOf(doseStart(ma.resource));
    return when === undefined ? [] : [{ ma, when }];
  });
  const pregnancies = index.ofType('Observation').filter((o) => pregnancyPresent(o.resource));
  const perDose = new Map<string, Map<SafetyRule, SafetySignal>>();
  for (const { ma, when } of doses) {
    const byRule = new Map<SafetyRule, SafetySignal>();
    const present = presentFindings(index, when);
    if (!present.has('pregnancy')) {
      const session = index.resolve(ma.resource.context)?.ref;
      const own = pregnancies.find((o) => session !== undefined && index.resolve(o.resource.encounter)?.ref === session);
      if (own) {
        present.set('pregnancy', own);
      }
    }
    for (const [item, o] of present) {
      const r = ruleOf(item, ma.resource);
      if (!r) {
        continue;
      }
      const signal = byRule.get(r.rule) ?? { rule: r.rule, severity: r.severity, resources: [ma.ref] };
      signal.resources.push(o.ref);
      byRule.set(r.rule, signal);
    }
    perDose.set(ma.ref, byRule);
  }
  // exposure in pregnancy: a pregnancy found after a dose, for the latest dose given at or before it and within the
  // longest a pregnancy lasts (a dose earlier than that cannot have been given in this pregnancy)
  const byTime = [...pregnancies].sort((a, b) => (timeOf(a.resource.effectiveDateTime) ?? 0) - (timeOf(b.resource.effectiveDateTime) ?? 0));
  for (const o of byTime) {
    const t = timeOf(o.resource.effectiveDateTime);
    const before = t === undefined ? [] : doses.filter((d) => d.when <= t && t - d.when <= PREGNANCY_LOOKBACK_MS);
    const latest = before.reduce<(typeof doses)[number] | undefined>((a, d) => (a === undefined || d.when >= a.when ? d : a), undefined);
    const byRule = latest && perDose.get(latest.ma.ref);
    if (latest && byRule && !byRule.has('contraindication-pregnancy')) {
      byRule.set('contraindication-pregnancy', { rule: 'contraindication-pregnancy', severity: 'urgent', resources: [latest.ma.ref, o.ref] });
    }
  }
  return doses.flatMap(({ ma }) => [...(perDose.get(ma.ref)?.values() ?? [])]);
}
