/**
 * FHIR Encounter → the common part of a KAP session (inverse of src/fhir/encounter.ts): kind from
 * `kap-session-type`, start/end from period, practitionerIds from participant (in order), and for a
 * dosing session the discharge time from `statusHistory` (status finished).
 */
import type { Encounter } from '@medplum/fhirtypes';
import { SESSION_KINDS, type SessionKind } from '../../kap/session.js';
import { KAP_SESSION_TYPE } from '../../terminology/systems.js';
import type { IndexedEntry } from '../../bundle-index.js';
import { ignore, kapIdOf, refId, type UnmapContext } from './context.js';
import { ignoreOtherIdentifiers, ignoreUnknownExtensions, ignoreUnreadElements } from './leftovers.js';
import { kapDateTime } from './times.js';

/** The session fields an Encounter gives. */
export interface SessionBase {
  id: string;
  kind: SessionKind;
  start: string;
  end?: string;
  practitionerIds: string[];
  /** Discharge time (dosing sessions). */
  dischargedAt?: string;
}

/**
 * Reads the common part of a session.
 * @param entry - the Encounter entry
 * @param ctx - the context
 * @param memberIds - ids of the care team
 * @returns the session base, or undefined (reported) when it is not a KAP session
 */
export function fromEncounter(
  entry: IndexedEntry<Encounter>,
  ctx: UnmapContext,
  memberIds: ReadonlySet<string>
): SessionBase | undefined {
  const enc = entry.resource;
  const id = kapIdOf(entry, ctx);
  const kind = (enc.type ?? [])
    .flatMap((t) => t.coding ?? [])
    .find((c) => c.system === KAP_SESSION_TYPE && SESSION_KINDS.includes(c.code as SessionKind))?.code as
    | SessionKind
    | undefined;
  const start = kapDateTime(enc.period?.start);
  if (id === undefined || kind === undefined || start === undefined) {
    if (kind === undefined) {
      ignore(ctx, entry, 'type', 'unknown-code');
    } else {
      ignore(ctx, entry, id === undefined ? '' : 'period', 'missing-element');
    }
    return undefined;
  }
  const base: SessionBase = { id, kind, start, practitionerIds: [] };
  const end = kapDateTime(enc.period?.end);
  if (end !== undefined) {
    base.end = end;
  } else if (enc.period?.end !== undefined) {
    ignore(ctx, entry, 'period.end', 'invalid-value');
  }
  (enc.participant ?? []).forEach((p, i) => {
    const who = refId(p.individual, 'Practitioner', ctx);
    if (who !== undefined && memberIds.has(who) && !base.practitionerIds.includes(who)) {
      base.practitionerIds.push(who);
    } else {
      ignore(ctx, entry, `participant[${i}]`, 'unresolved-reference');
    }
  });
  const discharged = (enc.statusHistory ?? []).find((h) => h.status === 'finished')?.period?.start;
  if (kind === 'dosing' && kapDateTime(discharged) !== undefined) {
    base.dischargedAt = discharged;
  } else if (enc.statusHistory !== undefined) {
    ignore(ctx, entry, 'statusHistory', 'unsupported-element');
  }
  ignoreOtherIdentifiers(ctx, entry);
  ignoreUnknownExtensions(ctx, entry, enc.extension, '', []);
  ignoreUnreadElements(ctx, entry, [
    'status',
    'statusHistory',
    'class',
    'type',
    'subject',
    'episodeOfCare',
    'participant',
    'period',
    'serviceProvider',
  ]);
  return base;
}
