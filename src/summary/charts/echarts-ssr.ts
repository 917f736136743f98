/**
 * The echarts of the summary charts, with only what they draw registered: line series, the cartesian grid, the
 * legend, mark lines and areas, the "no data" text, the SVG renderer. The full `echarts` bundle registers every
 * chart and component type, and `setOption` visits every registered component type on each chart (merge,
 * layout, render passes): this set draws the same SVG at a fraction of the CPU.
 */
import { init, use, type ECharts } from 'echarts/core';
import { LineChart } from 'echarts/charts';
import { GraphicComponent, GridComponent, LegendComponent, MarkAreaComponent, MarkLineComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

use([SVGRenderer, LineChart, GridComponent, LegendComponent, MarkLineComponent, MarkAreaComponent, GraphicComponent]);

/**
 * A server-side SVG echarts instance of a size (the caller disposes it). An instance is not reused: a reused one
 * draws series in another order (zrender's display list keeps the previous chart's order), and `init` is cheap
 * (well under 1 % of a chart).
 * @param width - px
 * @param height - px
 */
export function ssrChart(width: number, height: number): ECharts {
  return init(null, null, { renderer: 'svg', ssr: true, width, height });
}
