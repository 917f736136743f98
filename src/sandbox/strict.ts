/**
 * The sandbox's strict mode (issue 11): behaviours of a real FHIR server (the Medplum server 5.0.10
 * of ../shared/real-ehr, measured) that the lenient sandbox hid. Each one is switchable:
 *
 * - `searchParameters`: search parameters exactly as the definitions have them per type
 *   (search-parameters.ts); an unknown one answers 400 "Unknown search parameter: <code>", also in a
 *   conditional create / update / delete and in a Bundle entry. /metadata lists them per type.
 * - `serverIds`: ids are server-assigned UUIDs. `PUT Type/<id>` with a non-UUID id answers 400 "Invalid
 *   id", with an id that does not exist 404 "Not found" (no update-as-create; CapabilityStatement
 *   `updateCreate: false`); a conditional update that would create with an `id` in the body answers
 *   400 "Cannot perform create as update with client-assigned ID"; a POSTed `id` is replaced.
 * - `preferMinimal`: `Prefer: return=minimal` (that exact header value) answers every FHIR request
 *   with its status and headers and an empty body: creates (201 + Location), updates, transactions
 *   and batches (200), and errors (the OperationOutcome is dropped too).
 * - `transactions`: `'batch'` (the real server's default): a `transaction` Bundle runs entry by entry
 *   as a batch (fhir-router's BatchProcessor, the real server's code): an entry can fail while others
 *   are stored, the answer is a `transaction-response` with per-entry statuses. `'atomic'` (the
 *   server's `transaction-bundles` feature): all or nothing, at most 50 update entries ("Transaction
 *   contains more update operations than allowed"), and a Bundle with a conditional entry at most 8
 *   entries ("Transaction requires strict isolation but has too many entries"). `false`: the lenient
 *   sandbox's own atomic processor without limits.
 * - `quota`: a per-client quota of points per minute (quota.ts) answering 429.
 *
 * Strict rules apply to HTTP requests; the in-process `controls.repo` and `controls.find` stay
 * lenient so that tests can seed and inspect.
 */
import { MEDPLUM_DEFAULT_QUOTA, type QuotaOptions } from './quota.js';
import type { SearchParameterSet } from './search-parameters.js';

/** Strict-mode options; an omitted behaviour is ON with its default, `false` turns it off. */
export interface SandboxStrictOptions {
  /** Unknown search parameters → 400 (default `'r4'`; `'medplum'` = the real server's exact set). */
  searchParameters?: boolean | SearchParameterSet;
  /** Server-assigned UUID ids, no update-as-create (default true). */
  serverIds?: boolean;
  /** `Prefer: return=minimal` → empty bodies (default true). */
  preferMinimal?: boolean;
  /** How a `transaction` Bundle runs (default `'batch'`). */
  transactions?: false | 'batch' | 'atomic';
  /** Per-client quota: points per minute, or options (default 50,000 points per minute, as the real server). */
  quota?: false | number | QuotaOptions;
}

/** `strict: true` = every behaviour with its default. */
export type SandboxStrictOption = boolean | SandboxStrictOptions;

/** Strict mode with every behaviour decided. */
export interface ResolvedStrict {
  searchParameters: SearchParameterSet | false;
  serverIds: boolean;
  preferMinimal: boolean;
  transactions: false | 'batch' | 'atomic';
  quota: QuotaOptions | false;
}

/**
 * Decides every behaviour.
 * @param option - `true`, options, or `false`/undefined (lenient)
 * @returns the behaviours, or undefined for the lenient sandbox
 */
export function resolveStrict(option: SandboxStrictOption | undefined): ResolvedStrict | undefined {
  if (!option) {
    return undefined;
  }
  const o: SandboxStrictOptions = option === true ? {} : option;
  const quota = o.quota ?? MEDPLUM_DEFAULT_QUOTA;
  return {
    searchParameters: o.searchParameters === false ? false : o.searchParameters === true || o.searchParameters === undefined ? 'r4' : o.searchParameters,
    serverIds: o.serverIds ?? true,
    preferMinimal: o.preferMinimal ?? true,
    transactions: o.transactions ?? 'batch',
    quota: quota === false ? false : typeof quota === 'number' ? { pointsPerMinute: quota } : quota,
  };
}

const NAMES = ['search-parameters', 'server-ids', 'prefer-minimal', 'transactions', 'quota'] as const;

/**
 * Strict mode from `SANDBOX_STRICT` (`npm run sandbox`): empty / `false` / `0` = lenient; `true` / `1` /
 * `all` = every behaviour with its default; otherwise a comma-separated list of behaviours to turn on,
 * each optionally with a value, `-name` turning one off after `all`:
 * `search-parameters[=r4|medplum]`, `server-ids`, `prefer-minimal`, `transactions[=batch|atomic]`,
 * `quota[=<points per minute>]`. Example: `all,transactions=atomic,quota=3000,-prefer-minimal`.
 * @param value - the variable
 * @returns the option for {@link resolveStrict}
 * @throws Error on an unknown behaviour or value
 */
export function strictFromEnv(value: string | undefined): SandboxStrictOption {
  const text = (value ?? '').trim().toLowerCase();
  if (text === '' || text === 'false' || text === '0') {
    return false;
  }
  if (text === 'true' || text === '1' || text === 'all') {
    return true;
  }
  const parts = text.split(',').map((p) => p.trim()).filter(Boolean);
  const all = parts.includes('all');
  const o: SandboxStrictOptions = all
    ? {}
    : { searchParameters: false, serverIds: false, preferMinimal: false, transactions: false, quota: false };
  for (const part of parts) {
    if (part === 'all') {
      continue;
    }
    const off = part.startsWith('-');
    const [name, arg] = (off ? part.slice(1) : part).split('=', 2) as [string, string | undefined];
    if (!(NAMES as readonly string[]).includes(name) || (off && arg !== undefined)) {
      throw new Error(`SANDBOX_STRICT: unknown behaviour "${part}" (${NAMES.join(', ')}, all, -name)`);
    }
    const bad = (): never => {
      throw new Error(`SANDBOX_STRICT: invalid value in "${part}"`);
    };
    switch (name) {
      case 'search-parameters':
        o.searchParameters = off ? false : arg === undefined ? 'r4' : arg === 'r4' || arg === 'medplum' ? arg : bad();
        break;
      case 'server-ids':
        o.serverIds = !off && (arg === undefined ? true : bad());
        break;
      case 'prefer-minimal':
        o.preferMinimal = !off && (arg === undefined ? true : bad());
        break;
      case 'transactions':
        o.transactions = off ? false : arg === undefined ? 'batch' : arg === 'batch' || arg === 'atomic' ? arg : bad();
        break;
      case 'quota':
        o.quota = off ? false : arg === undefined ? MEDPLUM_DEFAULT_QUOTA : /^\d+$/.test(arg) ? Number(arg) : bad();
        break;
    }
  }
  return o;
}
