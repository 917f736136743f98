/**
 * Draws an SVG (a summary chart) into a pdfkit document with svg-to-pdfkit, in the PDF's standard Helvetica (no
 * font file). svg-to-pdfkit ships no types: its one function is typed here and loaded through `require` (it is
 * CommonJS), so no global module declaration is needed.
 */
import { createRequire } from 'node:module';

/** The slice of a pdfkit document svg-to-pdfkit draws into. */
type Doc = PDFKit.PDFDocument;

interface SvgToPdfOptions {
  width?: number;
  height?: number;
  assumePt?: boolean;
  preserveAspectRatio?: string;
  fontCallback?: (family: string, bold: boolean, italic: boolean) => string;
  warningCallback?: (message: string) => void;
}

type SvgToPdf = (doc: Doc, svg: string, x: number, y: number, options?: SvgToPdfOptions) => void;

const svgToPdf = createRequire(import.meta.url)('svg-to-pdfkit') as SvgToPdf;

/**
 * Draws an SVG at (x, y), scaled to `width` points (the aspect ratio kept).
 * @param doc - the pdfkit document
 * @param svg - the SVG text
 * @param x - left, in points
 * @param y - top, in points
 * @param width - the width to draw it at, in points
 * @param height - the height to draw it at, in points
 */
export function drawSvg(doc: Doc, svg: string, x: number, y: number, width: number, height: number): void {
  svgToPdf(doc, rectClipsAsViewports(svg), x, y, {
    width,
    height,
    preserveAspectRatio: 'xMinYMin meet',
    fontCallback: (_family, bold, italic) =>
      bold ? (italic ? 'Helvetica-BoldOblique' : 'Helvetica-Bold') : italic ? 'Helvetica-Oblique' : 'Helvetica',
    // an SVG feature svg-to-pdfkit skips (e.g. the hover styles) is no error for a static document
    warningCallback: () => undefined,
  });
}

/** A `<clipPath>` whose one child is a rectangle path as echarts writes it (`M x y l w 0 l 0 h l -w 0 Z`). */
const RECT_CLIP = /<clipPath id="([\w-]+)">\s*<path d="M(-?[\d.]+) (-?[\d.]+)l([\d.]+) 0l0 ([\d.]+)l-\4 0Z"[^>]*>\s*(?:<\/path>)?\s*<\/clipPath>/g;

/**
 * The SVG with each group clipped to a rectangle (echarts clips a line series to its grid) drawn as a nested
 * `<svg>` viewport of that rectangle instead, with the same coordinates: svg-to-pdfkit draws a clip-path as a
 * soft mask (a transparency group per series, rendered and compressed on its own: a third of the chart's
 * drawing), a viewport as a plain rectangular clip — the same picture. A group whose clip is not such a rectangle,
 * or that holds another group, is left as it is.
 * @param svg - the SVG text
 */
export function rectClipsAsViewports(svg: string): string {
  const rects = new Map<string, string>();
  for (const m of svg.matchAll(RECT_CLIP)) {
    const [, id, x, y, w, h] = m as unknown as [string, string, string, string, string, string];
    rects.set(id, `<svg x="${x}" y="${y}" width="${w}" height="${h}" viewBox="${x} ${y} ${w} ${h}" overflow="hidden"><g>`);
  }
  if (rects.size === 0) {
    return svg;
  }
  return svg.replace(/<g clip-path="url\(#([\w-]+)\)">((?:(?!<g[\s>])[\s\S])*?)<\/g>/g, (group, id: string, body: string) => {
    const open = rects.get(id);
    return open === undefined ? group : `${open}${body}</g></svg>`;
  });
}
