/**
 * Local value-set expansion for binding checks: a ValueSet's `compose` expanded against the
 * loaded CodeSystems (whole small code systems, concept lists, `valueSet` imports, excluded
 * concepts) or its stored `expansion`. Systems that cannot be enumerated locally (SNOMED CT,
 * LOINC, RxNorm without a concept list, filters, code systems not loaded) are "open": any code
 * from them is accepted, never reported. Each expansion is computed once and cached.
 */
import type { CodeSystem, CodeSystemConcept, ValueSet, ValueSetComposeInclude } from '@medplum/fhirtypes';
import type { ConformanceStore } from './conformance-store.js';

/** An expanded value set. */
export interface Expansion {
  /** `system|code` of every enumerated member. */
  readonly codes: ReadonlySet<string>;
  /** Bare codes of every enumerated member (for `code`-typed elements). */
  readonly bareCodes: ReadonlySet<string>;
  /** Systems accepted whole because they cannot be enumerated locally. */
  readonly openSystems: ReadonlySet<string>;
}

/** Membership answer: `yes`, `no`, or `unknown` (the code's system cannot be expanded locally). */
export type Membership = 'yes' | 'no' | 'unknown';

/** Expands value sets of one ConformanceStore, with a cache. */
export class ValueSetExpander {
  private readonly cache = new Map<string, Expansion | null>();

  private readonly store: ConformanceStore;

  constructor(store: ConformanceStore) {
    this.store = store;
  }

  /**
   * Expands a value set by canonical URL.
   * @param url - the value set's canonical (a `|version` suffix is ignored)
   * @returns the expansion, or undefined when the value set is not loaded
   */
  expand(url: string): Expansion | undefined {
    const hit = this.cache.get(url);
    if (hit !== undefined) {
      return hit ?? undefined;
    }
    this.cache.set(url, null); // guards against import cycles
    const vs = this.store.getValueSet(url);
    const result = vs ? this.expandValueSet(vs) : undefined;
    this.cache.set(url, result ?? null);
    return result;
  }

  /**
   * Is `system|code` in the value set?
   * @param exp - the expansion
   * @param system - the code's system (undefined for a bare `code` element)
   * @param code - the code
   * @returns yes, no, or unknown when the system is open
   */
  static member(exp: Expansion, system: string | undefined, code: string): Membership {
    if (system === undefined) {
      if (exp.bareCodes.has(code)) {
        return 'yes';
      }
      return exp.openSystems.size > 0 ? 'unknown' : 'no';
    }
    if (exp.codes.has(`${system}|${code}`)) {
      return 'yes';
    }
    return exp.openSystems.has(system) || exp.openSystems.has('*') ? 'unknown' : 'no';
  }

  private expandValueSet(vs: ValueSet): Expansion {
    const codes = new Set<string>();
    const bareCodes = new Set<string>();
    const openSystems = new Set<string>();
    const add = (system: string, code: string): void => {
      codes.add(`${system}|${code}`);
      bareCodes.add(code);
    };
    if (!vs.compose && vs.expansion?.contains) {
      const walk = (list: NonNullable<NonNullable<ValueSet['expansion']>['contains']>): void => {
        for (const c of list) {
          if (c.system && c.code) {
            add(c.system, c.code);
          }
          walk(c.contains ?? []);
        }
      };
      walk(vs.expansion.contains);
      return { codes, bareCodes, openSystems };
    }
    for (const include of vs.compose?.include ?? []) {
      this.include(include, add, openSystems);
    }
    for (const exclude of vs.compose?.exclude ?? []) {
      for (const c of exclude.concept ?? []) {
        if (exclude.system) {
          codes.delete(`${exclude.system}|${c.code}`);
        }
      }
    }
    if (vs.compose?.exclude?.length) {
      bareCodes.clear();
      for (const key of codes) {
        bareCodes.add(key.slice(key.lastIndexOf('|') + 1));
      }
    }
    return { codes, bareCodes, openSystems };
  }

  private include(
    include: ValueSetComposeInclude,
    add: (system: string, code: string) => void,
    openSystems: Set<string>
  ): void {
    const imported = (include.valueSet ?? []).map((u) => this.expand(u));
    if (!include.system) {
      for (const exp of imported) {
        if (!exp) {
          openSystems.add('*'); // an import we cannot resolve: accept rather than report
          continue;
        }
        for (const key of exp.codes) {
          const bar = key.lastIndexOf('|');
          add(key.slice(0, bar), key.slice(bar + 1));
        }
        for (const s of exp.openSystems) {
          openSystems.add(s);
        }
      }
      return;
    }
    const system = include.system;
    if (include.concept?.length) {
      for (const c of include.concept) {
        add(system, c.code);
      }
      return;
    }
    if (include.filter?.length) {
      openSystems.add(system);
      return;
    }
    const cs = this.store.getCodeSystem(system);
    if (!cs || !cs.concept?.length || (cs.content !== undefined && cs.content !== 'complete')) {
      openSystems.add(system);
      return;
    }
    addConcepts(cs, cs.concept, add);
  }
}

function addConcepts(
  cs: CodeSystem,
  concepts: readonly CodeSystemConcept[],
  add: (system: string, code: string) => void
): void {
  for (const c of concepts) {
    add(cs.url as string, c.code);
    addConcepts(cs, c.concept ?? [], add);
  }
}
