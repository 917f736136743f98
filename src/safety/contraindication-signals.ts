/**
 * Contraindications and precautions at each dose given (docs/safety.md), from the latest screening Observation of
 * each item (`kap-screening#<item>`, docs/design/issue-13-contract.md) at or before the dose, from any session of
 * the episode; a later "none known" (`kap-screening#none-known` true) clears every item. An item counts only when
 * recorded present (valueBoolean true); absent or unknown does not fire.
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
 * The screening items recorded present at a time: for each item, its latest Observation at or before `when` — unless
 * a "none known" Observation is later — with valueBoolean true. Returns the present items' Observations.
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
    if (e.resource.valueBoolean === true && t > noneKnownAt) {
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

/** One signal per rule per dose given. Resources: the MA, then the screening Observation(s) present. */
export function contraindicationSignals(index: BundleIndex): SafetySignal[] {
  const out: SafetySignal[] = [];
  for (const ma of givenDoses(index)) {
    const when = timeOf(doseStart(ma.resource));
    if (when === undefined) {
      continue;
    }
    const byRule = new Map<SafetyRule, SafetySignal>();
    for (const [item, o] of presentFindings(index, when)) {
      const r = ruleOf(item, ma.resource);
      if (!r) {
        continue;
      }
      const signal = byRule.get(r.rule) ?? { rule: r.rule, severity: r.severity, resources: [ma.ref] };
      signal.resources.push(o.ref);
      byRule.set(r.rule, signal);
    }
    out.push(...byRule.values());
  }
  return out;
}
