/**
 * One chart of the session summary (issue 14): an echarts option rendered server-side to SVG — the same SVG goes
 * into the PDF (svg-to-pdfkit) and into the web page — with a short text alternative and the data table beneath it,
 * for screen readers and for printing.
 *
 * Deterministic: the same input gives the same SVG. echarts numbers its element ids per instance (`zr3-c0`, …);
 * they are renamed after a fixed prefix per chart, so two charts on one page never share an id and rendering
 * twice gives the same bytes. The charts hold no names: the view's figures and times only.
 */
import type { EChartsOption } from 'echarts';
import { ssrChart } from './echarts-ssr.js';

/** The data beneath a chart: a header row and the rows, as displayed. */
export interface ChartTable {
  head: string[];
  rows: string[][];
}

/** A rendered chart. */
export interface SummaryChart {
  /** The SVG document (`<svg …>`), with `role="img"` and the text alternative as its `aria-label`. */
  svg: string;
  /** A short text alternative for screen readers (no names). */
  alt: string;
  /** The data the chart draws, as a table. */
  table: ChartTable;
}

/** Font family of every chart text: svg-to-pdfkit maps it to the standard Helvetica of the PDF. */
export const CHART_FONT = 'Helvetica, Arial, sans-serif';

/** Size and id prefix of a chart. */
export interface RenderOptions {
  width: number;
  height: number;
  /** Prefix of the SVG's element ids (unique per chart on a page), `[a-z0-9-]` only. */
  idPrefix: string;
  /** The text alternative (goes into `aria-label`). */
  alt: string;
}

/**
 * Renders an echarts option to an SVG string (no animation, server-side, the instance disposed).
 * @param option - the chart option
 * @param opts - size, id prefix and text alternative
 */
export function renderSvg(option: EChartsOption, opts: RenderOptions): string {
  const chart = ssrChart(opts.width, opts.height);
  try {
    chart.setOption({ animation: false, textStyle: { fontFamily: CHART_FONT }, ...option });
    return renumber(chart.renderToSVGString(), opts.idPrefix).replace(/^<svg /, `<svg role="img" aria-label="${escapeXml(opts.alt)}" `);
  } finally {
    chart.dispose();
  }
}

/**
 * Renames echarts' per-process element ids and style classes (`zr<instance>-c<n>`, `zr<instance>-cls-<n>`, whose
 * numbers grow with every chart the process draws) to `<prefix>-c<k>` / `<prefix>-cls-<k>`, numbered in order of
 * first appearance in this SVG.
 * @param svg - the SVG
 * @param prefix - the chart's prefix
 */
function renumber(svg: string, prefix: string): string {
  const names = new Map<string, string>();
  const counts = new Map<string, number>();
  return svg.replace(/\bzr\d+-([a-z]+)(-?)(\d+)\b/g, (match, kind: string, dash: string) => {
    let name = names.get(match);
    if (name === undefined) {
      const n = counts.get(kind) ?? 0;
      counts.set(kind, n + 1);
      name = `${prefix}-${kind}${dash}${n}`;
      names.set(match, name);
    }
    return name;
  });
}

/**
 * Escapes text for an XML attribute or text node.
 * @param text - the text
 */
export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] as string);
}
