/**
 * The part of `@lhncbc/ucum-lhc` (the NLM's UCUM library, shipped without types) that
 * ucum-check.ts uses.
 */
declare module '@lhncbc/ucum-lhc' {
  interface UcumLhcUtils {
    validateUnitString(unit: string, suggest?: boolean): { status: 'valid' | 'invalid' | 'error'; msg?: string[] };
  }
  const ucum: { UcumLhcUtils: { getInstance(): UcumLhcUtils } };
  export default ucum;
}
