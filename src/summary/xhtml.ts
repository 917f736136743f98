/**
 * FHIR narrative XHTML (R4 narrative.html): a `<div xmlns="http://www.w3.org/1999/xhtml">` holding only the
 * permitted elements (here p, b, ul, li, table, caption, thead, tbody, tr, th, td), every text escaped — no script,
 * no attributes beyond `scope`, no entity that XML does not know. Builders take plain text and escape it.
 */

/** Escapes text for XHTML content and attribute values. */
export function escapeXhtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Already-escaped XHTML (what the builders return), kept apart from plain text by its type. */
export interface Markup {
  readonly xhtml: string;
}

/** Markup from escaped pieces. */
const markup = (xhtml: string): Markup => ({ xhtml });

/** Plain text or markup as escaped XHTML. */
function render(part: string | Markup): string {
  return typeof part === 'string' ? escapeXhtml(part) : part.xhtml;
}

/** A paragraph. */
export function p(...parts: (string | Markup)[]): Markup {
  return markup(`<p>${parts.map(render).join('')}</p>`);
}

/** Bold text. */
export function b(text: string): Markup {
  return markup(`<b>${escapeXhtml(text)}</b>`);
}

/** A bulleted list. */
export function ul(items: (string | Markup)[]): Markup {
  return markup(`<ul>${items.map((i) => `<li>${render(i)}</li>`).join('')}</ul>`);
}

/**
 * A data table with column headers (`scope="col"`) and a caption (read first by screen readers).
 * @param caption - what the table shows
 * @param headers - column headers
 * @param rows - cells (plain text or markup)
 */
export function table(caption: string, headers: string[], rows: (string | Markup)[][]): Markup {
  const head = `<thead><tr>${headers.map((h) => `<th scope="col">${escapeXhtml(h)}</th>`).join('')}</tr></thead>`;
  const body = `<tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${render(c)}</td>`).join('')}</tr>`).join('')}</tbody>`;
  return markup(`<table><caption>${escapeXhtml(caption)}</caption>${head}${body}</table>`);
}

/** The narrative div of blocks. */
export function narrativeDiv(blocks: Markup[]): string {
  return `<div xmlns="http://www.w3.org/1999/xhtml">${blocks.map((x) => x.xhtml).join('')}</div>`;
}
