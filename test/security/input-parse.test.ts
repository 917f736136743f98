/**
 * Security review (issue 10), input rules on the parse path (`parseEpisode`, which `kap-fhir map`
 * and every API write use): lone UTF-16 surrogates in text are refused naming the field; birth
 * dates before 1900-01-01 (and in the future) are refused. Outcomes name the field, never the value.
 */
import { describe, expect, test } from '@jest/globals';
import { parseEpisode } from '../../src/kap/index.js';
import { errorExpressions, example } from './helpers.js';

const LONE_HIGH = '\ud800';
const LONE_LOW = '\udc00';

/** The example with one change made by `edit`. */
function edited(edit: (e: Record<string, any>) => void): Record<string, unknown> {
  const e = example('iv-ketamine-trd.json', 'ep-sec-parse') as Record<string, any>;
  edit(e);
  return e;
}

function refusedAt(input: unknown): string[] {
  const r = parseEpisode(input);
  if (r.ok) {
    return [];
  }
  expect(JSON.stringify(r.outcome)).not.toMatch(/Testperson|\\ud800|\\udc00/);
  return errorExpressions(r.outcome);
}

describe('lone surrogates in text are refused by the schema', () => {
  test.each([
    ['patient.name.family', (e: Record<string, any>) => (e.patient.name.family = `Test${LONE_HIGH}person`)],
    ['patient.name.given[0]', (e: Record<string, any>) => (e.patient.name.given[0] = `${LONE_LOW}Avery`)],
    ['careTeam[1].name.family', (e: Record<string, any>) => (e.careTeam[1].name.family = `X${LONE_HIGH}`)],
    ['clinic.name', (e: Record<string, any>) => (e.clinic.name = `Clinic ${LONE_LOW}`)],
    ['patient.identifiers[0].value', (e: Record<string, any>) => (e.patient.identifiers[0].value = `MRN${LONE_HIGH}1`)],
    ['patient.identifiers[0].system', (e: Record<string, any>) => (e.patient.identifiers[0].system = `urn:x:${LONE_HIGH}`)],
    ['patient.contact.phone', (e: Record<string, any>) => (e.patient.contact = { phone: `555${LONE_LOW}` })],
  ])('%s', (expression, edit) => {
    expect(refusedAt(edited(edit))).toContain(expression);
  });

  test('a well-formed surrogate pair (an emoji, a CJK extension B character) is accepted', () => {
    const r = parseEpisode(edited((e) => (e.patient.name.family = 'Test\u{20BB7}person\u{1F600}')));
    expect(r.ok).toBe(true);
  });
});

describe('birth dates', () => {
  test('before 1900-01-01 → refused on patient.birthDate', () => {
    expect(refusedAt(edited((e) => (e.patient.birthDate = '1899-12-31')))).toEqual(['patient.birthDate']);
    expect(refusedAt(edited((e) => (e.patient.birthDate = '0001-01-01')))).toEqual(['patient.birthDate']);
  });

  test('1900-01-01 is accepted; the future is still refused', () => {
    expect(parseEpisode(edited((e) => (e.patient.birthDate = '1900-01-01'))).ok).toBe(true);
    expect(refusedAt(edited((e) => (e.patient.birthDate = '2999-01-01')))).toEqual(['patient.birthDate']);
  });
});
