/**
 * Every safety signal of an episode with its state: src/summary/read-episode-signals.ts (shared by the web view and
 * the episode summary document and PDF).
 */
export { attributedSignals, episodeSignals, type EpisodeSignal } from '../../summary/read-episode-signals.js';
