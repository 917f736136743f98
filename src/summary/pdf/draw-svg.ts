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
  svgToPdf(doc, svg, x, y, {
    width,
    height,
    preserveAspectRatio: 'xMinYMin meet',
    fontCallback: (_family, bold, italic) =>
      bold ? (italic ? 'Helvetica-BoldOblique' : 'Helvetica-Bold') : italic ? 'Helvetica-Oblique' : 'Helvetica',
    // an SVG feature svg-to-pdfkit skips (e.g. the hover styles) is no error for a static document
    warningCallback: () => undefined,
  });
}
