/**
 * txt-1 (FHIR R4 narrative.html): a Narrative's `div` SHALL contain only the basic HTML formatting elements and
 * attributes (HTML 4.0 chapters 7–11 and 12, `<a>` with name or href, images, style attributes): no scripts, forms,
 * frames or event handlers. The HL7 validator reports "Illegal element name in the XHTML" (or attribute) as an error
 * at `….text.div`; so is a `javascript:` link. The XHTML is scanned, not parsed: Medplum's validator already
 * checks that `div` is a `<div>` in the XHTML namespace with content (txt-2).
 */
import type { OperationOutcomeIssue } from '@medplum/fhirtypes';
import { issue } from '../outcomes.js';

/** The elements the HL7 validator allows in narrative (its XHTML checks on R4). */
const ALLOWED_ELEMENTS = new Set(
  (
    'p br div h1 h2 h3 h4 h5 h6 a span b em i strong small big tt dfn q var abbr acronym cite blockquote hr address bdo ' +
    'kbd sub sup ul ol li dl dt dd pre table caption colgroup col thead tr tfoot tbody th td code samp img map area u s strike font center'
  ).split(' ')
);

const TAG = /<\s*([A-Za-z][\w:.-]*)([^>]*)>/g;
const ATTRIBUTE = /([A-Za-z_:][\w:.-]*)\s*(?:=\s*("[^"]*"|'[^']*'|[^\s>]+))?/g;

/**
 * Checks one narrative `div`.
 * @param div - the XHTML text
 * @param path - the FHIRPath of the div (e.g. `Patient.text.div`)
 * @param issues - where issues go
 */
export function checkNarrativeXhtml(div: string, path: string, issues: OperationOutcomeIssue[]): void {
  for (const [, rawName, rest] of div.matchAll(TAG)) {
    const name = rawName.toLowerCase().replace(/^[a-z]+:/, '');
    if (!ALLOWED_ELEMENTS.has(name)) {
      issues.push(issue('error', 'invalid', `Constraint txt-1 not met: illegal element name in the XHTML narrative ("${name}")`, path));
      continue;
    }
    for (const [, attr, value] of rest.matchAll(ATTRIBUTE)) {
      const a = attr.toLowerCase();
      if (a.startsWith('on')) {
        issues.push(issue('error', 'invalid', `Constraint txt-1 not met: illegal attribute name in the XHTML narrative ("${a}")`, path));
      } else if ((a === 'href' || a === 'src') && /^["']?\s*javascript:/i.test(value ?? '')) {
        issues.push(issue('error', 'invalid', 'Constraint txt-1 not met: a script URL in the XHTML narrative', path));
      }
    }
  }
}
