export { REMS_ITEMS, REMS_DOSES_MG, allRemsItems } from './rems-items.js';
export type { RemsItem, RemsItemType, RemsFieldOrigin } from './rems-items.js';
export { remsMonitoringQuestionnaire, REMS_QUESTIONNAIRE_ID, REMS_QUESTIONNAIRE_URL, REMS_QUESTIONNAIRE_VERSION } from './rems-questionnaire.js';
export { remsMonitoringResponse, remsRecordOf, missingRemsItems, REMS_RESPONSE_PROFILE, REMS_IDENTIFIER_SUFFIX } from './rems-response.js';
export type { RemsMonitoringRecord, RemsMissingItem } from './rems-response.js';
export { remsMonitoringPdf, formatDateTime, answerText, NOT_RECORDED } from './rems-pdf.js';
export { remsFormIncompleteSignals } from './rems-signals.js';
