/**
 * The one clinic the ingest benchmarks configure: its API key's hash and `discard` targets (an EHR, and a
 * prescriber that also takes the alerts), so that only kap-fhir's own work is measured.
 */
import { createHash } from 'node:crypto';

/**
 * The bench clinic's configuration (`clinics[]` entry).
 * @param apiKey - the key the bench sends
 */
export function benchClinic(apiKey: string): Record<string, unknown> {
  return {
    id: 'bench-clinic',
    apiKeySha256: [createHash('sha256').update(apiKey).digest('hex')],
    targets: [
      { id: 'bench-ehr', type: 'discard', roles: ['ehr'] },
      { id: 'bench-rx', type: 'discard', roles: ['prescriber', 'alerts'] },
    ],
  };
}
