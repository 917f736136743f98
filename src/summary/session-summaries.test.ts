import { describe, expect, test } from '@jest/globals';
import type { Composition } from '@medplum/fhirtypes';
import { parseIdentifierValue } from '../identity/record-identity.js';
import { exampleBundle } from './__test__/session-view-fixture.js';
import { sessionSummaryEntries } from './session-summaries.js';

/** The sessions whose summary a list of entries holds (from the Compositions' identifiers). */
function sessionsOf(entries: Awaited<ReturnType<typeof sessionSummaryEntries>>): string[] {
  return entries
    .filter((e) => e.resource?.resourceType === 'Composition')
    .map((e) => parseIdentifierValue((e.resource as Composition).identifier?.value ?? '').localId.replace(/^summary-/, ''));
}

describe('sessionSummaryEntries', () => {
  test('a Composition and a PDF DocumentReference per dosing session, as conditional updates', async () => {
    const entries = await sessionSummaryEntries(exampleBundle('iv-ketamine-trd'), 'c1');
    expect(sessionsOf(entries)).toEqual(['s-03', 's-05', 's-06', 's-08', 's-09', 's-10']);
    expect(entries.filter((e) => e.resource?.resourceType === 'DocumentReference')).toHaveLength(6);
    expect(entries.every((e) => e.request?.method === 'PUT' && e.request.url.includes('?identifier='))).toBe(true);
  });

  test('at most `max`, the latest dosing sessions by dose start', async () => {
    expect(sessionsOf(await sessionSummaryEntries(exampleBundle('iv-ketamine-trd'), 'c1', undefined, 2))).toEqual(['s-09', 's-10']);
  });

  test('the same episode gives the same bytes', async () => {
    const bundle = exampleBundle('esketamine-mdd');
    expect(JSON.stringify(await sessionSummaryEntries(bundle, 'c1'))).toBe(JSON.stringify(await sessionSummaryEntries(bundle, 'c1')));
  });
});
