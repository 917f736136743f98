/** The submission pipeline (episode-pipeline.ts has the order of its steps). */
export { createEpisodePipeline, type EpisodeCollection, type EpisodePipeline, type Submitter } from './episode-pipeline.js';
export { episodeProcessor, inThreadProcessor, threadPoolProcessor, type EpisodeProcessor } from './episode-processor.js';
export { EPISODE_RECORDS, EpisodeStore, type StoredEpisode } from './episode-store.js';
export { mapAndValidate, type MapAndValidateResult } from './map-and-validate.js';
export { mapClinicEpisode, type MappedEpisode, type SignalResource } from './map-clinic-episode.js';
export { episodeFromFhirBundle, parseSubmittedEpisode, UNREADABLE_BUNDLE } from './parse-submission.js';
export { asTenant, episodeHash, submitEpisode, type Accepted, type PipelineMetrics, type PipelineOptions, type VersionRule } from './submit-episode.js';
