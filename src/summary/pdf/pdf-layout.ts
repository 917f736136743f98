/**
 * Layout helpers of the summary PDFs (pdfkit, standard fonts only): headings, label/value lines, a coloured band,
 * a table that breaks across pages with its header repeated, and text made safe for the standard fonts' WinAnsi
 * encoding. Sizes are points.
 */

/** A pdfkit document. */
export type Doc = PDFKit.PDFDocument;

/** Colours of the summary (print well in grey too). */
export const COLOR = {
  text: '#111111',
  muted: '#555555',
  rule: '#bbbbbb',
  urgent: '#b3261e',
  attention: '#a15c00',
  information: '#37474f',
  given: '#1b5e20',
  notGiven: '#b3261e',
  headerFill: '#eceff1',
} as const;

const REPLACEMENTS: Record<string, string> = {
  '≥': '>=',
  '≤': '<=',
  '→': '->',
  '←': '<-',
  '₂': '2',
  '\u00a0': ' ',
  '−': '-',
};

/**
 * Text for the standard fonts (WinAnsi): a few signs written out, any other character outside Latin-1 and the
 * WinAnsi punctuation replaced by `?` rather than drawn as a wrong glyph.
 * @param text - the text
 */
export function pdfText(text: string): string {
  return text.replace(/[^\x20-\x7e\xa0-\xff\n–—‘’“”•…€™]/gu, (c) => REPLACEMENTS[c] ?? '?');
}

/** The bottom of the page's writable area. */
function bottom(doc: Doc): number {
  return doc.page.height - doc.page.margins.bottom;
}

/** The width of the writable area. */
export function contentWidth(doc: Doc): number {
  return doc.page.width - doc.page.margins.left - doc.page.margins.right;
}

/**
 * Starts a new page when less than `height` points are left on this one.
 * @param doc - the document
 * @param height - the room needed
 */
export function ensureSpace(doc: Doc, height: number): void {
  if (doc.y + height > bottom(doc)) {
    doc.addPage();
  }
}

/**
 * A section heading with a rule under it (kept with at least `keep` points of what follows).
 * @param doc - the document
 * @param text - the heading
 * @param keep - room to keep with the heading
 */
export function heading(doc: Doc, text: string, keep = 60): void {
  ensureSpace(doc, 28 + keep);
  doc.moveDown(0.6);
  const x = doc.page.margins.left;
  doc.font('Helvetica-Bold').fontSize(13).fillColor(COLOR.text).text(pdfText(text), x, doc.y, { width: contentWidth(doc) });
  const y = doc.y + 2;
  doc.moveTo(x, y).lineTo(x + contentWidth(doc), y).lineWidth(0.6).strokeColor(COLOR.rule).stroke();
  doc.y = y + 5;
}

/**
 * `Label: value` on one line (wrapping), the label bold.
 * @param doc - the document
 * @param label - the label
 * @param value - the value
 * @param size - font size
 */
export function field(doc: Doc, label: string, value: string, size = 10.5): void {
  const x = doc.page.margins.left;
  ensureSpace(doc, size * 1.4);
  doc.font('Helvetica-Bold').fontSize(size).fillColor(COLOR.text).text(`${pdfText(label)}: `, x, doc.y, { continued: true, width: contentWidth(doc) });
  doc.font('Helvetica').text(pdfText(value));
}

/**
 * A paragraph.
 * @param doc - the document
 * @param text - the text
 * @param opts - font size, colour, bold
 */
export function paragraph(doc: Doc, text: string, opts: { size?: number; color?: string; bold?: boolean } = {}): void {
  const size = opts.size ?? 10.5;
  const width = contentWidth(doc);
  doc.font(opts.bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(size);
  ensureSpace(doc, Math.min(doc.heightOfString(pdfText(text), { width }), 120));
  doc.fillColor(opts.color ?? COLOR.text).text(pdfText(text), doc.page.margins.left, doc.y, { width });
}

/**
 * A band: a coloured bar on the left, a bold first line and an optional detail (signals, dose status).
 * @param doc - the document
 * @param color - the bar and title colour
 * @param title - the first line
 * @param detail - the text under it
 * @param size - title font size
 */
export function band(doc: Doc, color: string, title: string, detail?: string, size = 11): void {
  const x = doc.page.margins.left;
  const width = contentWidth(doc) - 12;
  doc.font('Helvetica-Bold').fontSize(size);
  const titleHeight = doc.heightOfString(pdfText(title), { width });
  doc.font('Helvetica').fontSize(size - 1.5);
  const detailHeight = detail ? doc.heightOfString(pdfText(detail), { width }) + 2 : 0;
  const height = titleHeight + detailHeight + 8;
  ensureSpace(doc, height + 4);
  const top = doc.y;
  doc.rect(x, top, 4, height).fill(color);
  doc.font('Helvetica-Bold').fontSize(size).fillColor(color).text(pdfText(title), x + 12, top + 4, { width });
  if (detail) {
    doc.font('Helvetica').fontSize(size - 1.5).fillColor(COLOR.text).text(pdfText(detail), x + 12, doc.y + 2, { width });
  }
  doc.y = top + height + 4;
  doc.x = x;
}

/**
 * A table: header row shaded, rows with a hairline between them, page breaks between rows with the header repeated.
 * Column widths are proportional to `weights` (default equal).
 * @param doc - the document
 * @param head - column headers
 * @param rows - the rows
 * @param opts - font size and column weights
 */
export function table(doc: Doc, head: string[], rows: string[][], opts: { size?: number; weights?: number[] } = {}): void {
  const size = opts.size ?? 9;
  const x0 = doc.page.margins.left;
  const total = contentWidth(doc);
  const weights = opts.weights ?? head.map(() => 1);
  const sum = weights.reduce((a, b) => a + b, 0);
  const widths = weights.map((w) => (w / sum) * total);
  const pad = 3;
  const rowHeight = (cells: string[], bold: boolean): number => {
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(size);
    return Math.max(...cells.map((c, i) => doc.heightOfString(pdfText(c), { width: (widths[i] as number) - 2 * pad }))) + 2 * pad;
  };
  const drawRow = (cells: string[], bold: boolean, fill?: string): void => {
    const h = rowHeight(cells, bold);
    const top = doc.y;
    if (fill) {
      doc.rect(x0, top, total, h).fill(fill);
    }
    let x = x0;
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(size).fillColor(COLOR.text);
    cells.forEach((c, i) => {
      doc.text(pdfText(c), x + pad, top + pad, { width: (widths[i] as number) - 2 * pad });
      x += widths[i] as number;
    });
    doc.moveTo(x0, top + h).lineTo(x0 + total, top + h).lineWidth(0.4).strokeColor(COLOR.rule).stroke();
    doc.y = top + h;
    doc.x = x0;
  };
  ensureSpace(doc, rowHeight(head, true) + (rows[0] ? rowHeight(rows[0], false) : 0));
  drawRow(head, true, COLOR.headerFill);
  for (const row of rows) {
    if (doc.y + rowHeight(row, false) > bottom(doc)) {
      doc.addPage();
      drawRow(head, true, COLOR.headerFill);
    }
    drawRow(row, false);
  }
  doc.moveDown(0.4);
}
