export type { AnswerOption, Instrument, InstrumentId, InstrumentItem, ScoreResult } from './types.js';
export { getInstrument, INSTRUMENT_IDS, isInstrumentId } from './registry.js';
export { KAP_ANSWER, ORDINAL_VALUE_URL } from './answer-options.js';
export { severityBand, type SeverityBandCode } from './severity-band.js';
export { REFUSAL_REASONS } from './evaluate-answers.js';
export { phq9, PHQ9_BANDS, phq9Item9Coding, PHQ9_ITEMS, PHQ9_REMISSION_BELOW, PHQ9_SUICIDE_ITEM } from './phq-9.js';
export { gad7, GAD7_BANDS, GAD7_ITEMS, GAD7_REMISSION_BELOW } from './gad-7.js';
export {
  createPcl5,
  pcl5,
  PCL5_CLUSTERS,
  PCL5_DEFAULT_CUTOFF,
  PCL5_ITEMS,
  PCL5_MEANINGFUL_IMPROVEMENT,
  pcl5MeetsDsm5Rule,
  scorePcl5,
  type Pcl5Options,
} from './pcl-5.js';
export {
  CSSRS_ITEMS,
  CSSRS_RISK_CODE,
  cssrsInconsistent,
  cssrsRiskCoding,
  cssrsRiskLevel,
  cssrsScreen,
  scoreCssrs,
  type CssrsRiskLevel,
  type CssrsVersion,
} from './cssrs-screen.js';
export { CSSRS_SLV_ITEMS, cssrsSinceLastVisit } from './cssrs-since-last-visit.js';
export { cadss6, CADSS6_ITEMS } from './cadss-6.js';
export { instrumentSubmissionSchema, answersByLinkId, type InstrumentSubmission } from './submission.js';
export {
  answerScore,
  answersFromResponse,
  instrumentOfResponse,
  itemExpression,
  responseFromAnswers,
  type ResponseAnswers,
  type ResponseContext,
} from './response-answers.js';
export { scoreObservations, SURVEY_CATEGORY, type ObservationContext } from './score-observations.js';
export { refusalOutcome, scoreSubmission, type ScoredSubmission, type ScoreOptions } from './score-response.js';
export {
  baselineOf,
  CHANGE_DEFINITIONS,
  changeAgainst,
  changeFromBaseline,
  changesAfterBaseline,
  episodeChangeFromBaseline,
  type ChangeDefinition,
  type ChangeFromBaseline,
  type ChangeInstrumentId,
  type ScorePoint,
} from './change-from-baseline.js';
export { timeOf } from './date-time.js';
export {
  CHANGE_CODES,
  CHANGE_COMPONENT_CODES,
  CSSRS_INCONSISTENT_CODE,
  PCL5_CLUSTER_CODES,
  PCL5_DSM5_PROVISIONAL_CODE,
  PHQ9_ITEM9_CODE,
} from './observation-codes.js';
export { scoreComponents } from './score-components.js';
export { responseStatus } from './response-status.js';
