/**
 * kap-fhir's own namespace of identifier systems: the service assigns them; clinics may neither submit
 * them nor configure them as their own (src/config/service-config.ts, src/pipeline/identifier-systems.ts).
 */
import { KAP_CANONICAL } from './systems.js';

/** The host of kap-fhir's canonical base (`kap-fhir.org`). */
const KAP_HOST = new URL(KAP_CANONICAL).hostname;

/**
 * True when an identifier system lies in kap-fhir's own namespace: the canonical base as a prefix
 * (any case), or any URL whose host is the kap-fhir host or one of its sub-domains.
 * @param system - an identifier system URI
 */
export function isKapNamespace(system: string): boolean {
  const lower = system.trim().toLowerCase();
  if (lower.startsWith(KAP_CANONICAL.toLowerCase())) {
    return true;
  }
  let host: string;
  try {
    host = new URL(lower).hostname.replace(/\.$/, '');
  } catch {
    return false;
  }
  return host === KAP_HOST || host.endsWith(`.${KAP_HOST}`);
}
