/**
 * What a FHIR server can do, read from its CapabilityStatement (`GET /metadata`): the system
 * interactions (`transaction`, `batch`) and, per resource type, its search parameters, `updateCreate`
 * and conditional update. The engine picks its write key and its write mode from these, never from
 * what the sandbox happens to accept: R4 has no `identifier` search on AdverseEvent, real servers refuse
 * client-chosen ids, and so on (docs/sync.md "Capability-aware keys").
 */
import type { CapabilityStatement } from '@medplum/fhirtypes';

/** A server's capabilities as the engine uses them. */
export interface ServerCapabilities {
  transaction: boolean;
  batch: boolean;
  /** The search parameters of a type (empty when the type is not listed). */
  searchParams(resourceType: string): ReadonlySet<string>;
  /** Whether `PUT Type/<client id>` creates (update-as-create). */
  updateCreate(resourceType: string): boolean;
}

/**
 * Reads a CapabilityStatement.
 * @param cs - the server's CapabilityStatement
 * @returns its capabilities (a type listed without search parameters, or a server listing no types, is
 *   taken to search `identifier` and `_tag`: R4's common parameters; `_tag` exists on every resource)
 */
export function capabilitiesOf(cs: CapabilityStatement): ServerCapabilities {
  const rest = (cs.rest ?? []).find((r) => r.mode === 'server') ?? cs.rest?.[0];
  const system = new Set((rest?.interaction ?? []).map((i) => i.code));
  const byType = new Map<string, { params: Set<string>; updateCreate: boolean }>();
  for (const r of rest?.resource ?? []) {
    if (r.type) {
      byType.set(r.type, { params: new Set((r.searchParam ?? []).map((p) => p.name as string)), updateCreate: r.updateCreate === true });
    }
  }
  const fallback = new Set(['_id', '_tag', 'identifier']);
  return {
    transaction: system.has('transaction'),
    batch: system.has('batch'),
    searchParams: (type) => {
      const params = byType.get(type)?.params;
      return params && params.size > 0 ? params : fallback;
    },
    updateCreate: (type) => byType.get(type)?.updateCreate ?? false,
  };
}
