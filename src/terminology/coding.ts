/**
 * The shape of a terminology constant: a Coding with system, code and display all present.
 */
import type { Coding } from '@medplum/fhirtypes';

/** A fully specified Coding (system, code and display). */
export type KapCoding = Required<Pick<Coding, 'system' | 'code' | 'display'>>;

/**
 * A fresh copy of a terminology constant (resources never share mutable objects with the constants).
 * @param c - the constant
 */
export function coding(c: KapCoding): Coding {
  return { system: c.system, code: c.code, display: c.display };
}
