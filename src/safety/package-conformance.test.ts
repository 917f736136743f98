import { describe, expect, test } from '@jest/globals';
import type { Bundle, OperationOutcomeIssue } from '@medplum/fhirtypes';
import { readFileSync } from 'node:fs';
import { scoreJson } from '../cli/score.js';
import { getInstrument, INSTRUMENT_IDS } from '../instruments/registry.js';
import { responseFromAnswers } from '../instruments/response-answers.js';
import { clinicIdentifierSystem } from '../terminology/systems.js';
import { validate } from '../validation/index.js';
import { mapped } from './__test__/episode-fixture.js';
import { detectSignals } from './detect-signals.js';
import { signalEntries } from './signal-resources.js';

/** Error issues of the Bundle entries at the given indexes. */
function errorsOf(bundle: Bundle, indexes: number[]): OperationOutcomeIssue[] {
  const issues = validate(bundle).issue ?? [];
  return issues.filter(
    (i) =>
      (i.severity === 'error' || i.severity === 'fatal') &&
      indexes.some((n) => (i.expression ?? []).some((e) => e.startsWith(`Bundle.entry[${n}]`)))
  );
}

describe('conformance with the KAP package (profiles/package via src/validation)', () => {
  test('DetectedIssue + Communication of the urgent example validate against kap-safety-signal / kap-safety-communication', () => {
    const bundle = mapped(JSON.parse(readFileSync(new URL('../../examples/urgent-signals.json', import.meta.url), 'utf8')));
    const extra = signalEntries(bundle, detectSignals(bundle));
    expect(extra).toHaveLength(6);
    const all: Bundle = { ...bundle, entry: [...(bundle.entry ?? []), ...extra] };
    const first = bundle.entry?.length ?? 0;
    expect(errorsOf(all, extra.map((_, i) => first + i))).toEqual([]);
  });

  test.each(INSTRUMENT_IDS)('%s: a scored FHIR response (with patient and identifier) and its Observations validate', (id) => {
    const instrument = getInstrument(id);
    const answers = Object.fromEntries(instrument.items.map((i) => [i.linkId, i.enableWhen ? null : i.options[id.startsWith('cssrs') ? 0 : 1].score]));
    const qr = responseFromAnswers(instrument, answers, {
      authored: '2026-04-01T09:10:00-05:00',
      subject: { reference: 'Patient/pt-1' },
      identifier: { system: clinicIdentifierSystem('c1'), value: 'qr-1' },
    });
    expect(qr.meta?.profile).toHaveLength(1);
    const r = scoreJson(qr);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(errorsOf(r.bundle, r.bundle.entry?.map((_, i) => i) ?? [])).toEqual([]);
  });
});
