export { doseText, sessionSummaryPdf, SUMMARY_TITLE } from './session-summary-pdf.js';
export { episodeSummaryPdf } from './episode-summary-pdf.js';
export { signalsBySeverity, trajectoryLine } from './pdf-blocks.js';
export { drawSvg } from './draw-svg.js';
