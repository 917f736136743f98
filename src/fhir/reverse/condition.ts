/**
 * FHIR Condition → a KAP indication (inverse of src/fhir/condition.ts): the ICD-10-CM code of
 * clinical-codes.md §6, the `kap-condition-qualifier#treatment-resistant` extension, onset date.
 * Conditions coded outside the KAP list are left out (`unknown-code`).
 */
import type { Condition } from '@medplum/fhirtypes';
import type { Indication } from '../../kap/indication.js';
import { INDICATION_CODES, type IndicationCode } from '../../terminology/conditions.js';
import { TREATMENT_RESISTANT } from '../../terminology/local-codes.js';
import { ICD10CM } from '../../terminology/systems.js';
import { EXTENSIONS } from '../profiles.js';
import type { IndexedEntry } from '../../bundle-index.js';
import { codingIn } from './codings.js';
import { ignore, kapIdOf, type UnmapContext } from './context.js';
import { ignoreOtherIdentifiers, ignoreUnknownExtensions, ignoreUnreadElements } from './leftovers.js';
import { kapDate } from './times.js';

/**
 * Reads an indication.
 * @param entry - the Condition entry
 * @param ctx - the context
 * @returns the indication, or undefined (reported) when its code is not a KAP indication
 */
export function fromCondition(entry: IndexedEntry<Condition>, ctx: UnmapContext): Indication | undefined {
  const c = entry.resource;
  const id = kapIdOf(entry, ctx);
  const code = codingIn(c.code, ICD10CM, INDICATION_CODES)?.code as IndicationCode | undefined;
  if (id === undefined || code === undefined) {
    ignore(ctx, entry, id === undefined ? '' : 'code', id === undefined ? 'missing-element' : 'unknown-code');
    return undefined;
  }
  const treatmentResistant = (c.extension ?? []).some(
    (e) =>
      e.url === EXTENSIONS.conditionQualifier &&
      codingIn(e.valueCodeableConcept, TREATMENT_RESISTANT.system, [TREATMENT_RESISTANT.code]) !== undefined
  );
  const indication: Indication = { id, code, treatmentResistant };
  if (c.onsetDateTime !== undefined) {
    const onset = kapDate(c.onsetDateTime);
    if (onset !== undefined) {
      indication.onsetDate = onset;
    } else {
      ignore(ctx, entry, 'onsetDateTime', 'invalid-value');
    }
  }
  ignoreOtherIdentifiers(ctx, entry);
  ignoreUnknownExtensions(ctx, entry, c.extension, '', [EXTENSIONS.conditionQualifier]);
  ignoreUnreadElements(ctx, entry, [
    'code',
    'onsetDateTime',
    'subject',
    'clinicalStatus',
    'verificationStatus',
    'category',
    'encounter',
    'recordedDate',
  ]);
  return indication;
}
