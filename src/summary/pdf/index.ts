export { doseText, sessionSummaryPdf, signalsBySeverity, SUMMARY_TITLE, trajectoryLine } from './session-summary-pdf.js';
export { drawSvg } from './draw-svg.js';
