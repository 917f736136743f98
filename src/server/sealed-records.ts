/**
 * Every store of the service that keeps patient data sealed at rest, for `kap-fhir rekey`. A new
 * store that holds PHI exports its {@link SealedRecordFamily} and is added here.
 */
import { EPISODE_RECORDS } from '../pipeline/episode-store.js';
import { IDEMPOTENCY_RECORDS } from '../api/idempotency.js';
import { VIEW_LINK_RECORDS } from '../api/view/link-store.js';
import type { SealedRecordFamily } from '../crypto/rekey.js';
import { DEAD_LETTER_RECORDS, MANIFEST_RECORDS, PAYLOAD_RECORDS } from '../sync/delivery-store.js';

/** The sealed-record families, under the service's prefix. */
export const SEALED_RECORDS: readonly SealedRecordFamily[] = [EPISODE_RECORDS, PAYLOAD_RECORDS, DEAD_LETTER_RECORDS, MANIFEST_RECORDS, IDEMPOTENCY_RECORDS, VIEW_LINK_RECORDS];
