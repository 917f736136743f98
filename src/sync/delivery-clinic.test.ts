import { describe, expect, test } from '@jest/globals';
import { clinicIdentifierSystem } from '../terminology/systems.js';
import { clinicBundle, jobBelongsToClinic } from './delivery.js';

describe('jobBelongsToClinic', () => {
  const base = 'kap:sync';
  test('the job names the target\'s clinic and one of its payloads', () => {
    expect(jobBelongsToClinic({ clinicId: 'a', payloadKey: 'kap:sync:payload:a:episode-1-v1' }, 'a', base)).toBe(true);
  });
  test.each([
    ['another clinic in the job', { clinicId: 'b', payloadKey: 'kap:sync:payload:a:episode-1-v1' }],
    ['another clinic\'s payload', { clinicId: 'a', payloadKey: 'kap:sync:payload:b:episode-1-v1' }],
    ['a clinic whose id starts like it', { clinicId: 'a', payloadKey: 'kap:sync:payload:a-b:episode-1-v1' }],
    ['another prefix', { clinicId: 'a', payloadKey: 'other:sync:payload:a:episode-1-v1' }],
    ['not a payload', { clinicId: 'a', payloadKey: 'kap:api:episode:a:1' }],
    ['no name', { clinicId: 'a', payloadKey: 'kap:sync:payload:a:' }],
  ])('%s → false', (_name, job) => {
    expect(jobBelongsToClinic(job, 'a', base)).toBe(false);
  });
});

describe('clinicBundle', () => {
  const bundle = (system: string) => JSON.stringify({ resourceType: 'Bundle', type: 'transaction', identifier: { system, value: 'episode-1-v1' }, entry: [] });
  test('a Bundle of the clinic is returned parsed', () => {
    expect(clinicBundle(bundle(clinicIdentifierSystem('a')), 'a')?.identifier?.value).toBe('episode-1-v1');
  });
  test('another clinic\'s Bundle, no identifier, not a Bundle, not JSON → undefined', () => {
    expect(clinicBundle(bundle(clinicIdentifierSystem('b')), 'a')).toBeUndefined();
    expect(clinicBundle(JSON.stringify({ resourceType: 'Bundle', type: 'transaction' }), 'a')).toBeUndefined();
    expect(clinicBundle(JSON.stringify({ resourceType: 'Patient', identifier: { system: clinicIdentifierSystem('a') } }), 'a')).toBeUndefined();
    expect(clinicBundle('null', 'a')).toBeUndefined();
    expect(clinicBundle('{', 'a')).toBeUndefined();
  });
});
