/**
 * What the web view is built from (src/api/view/routes.ts): the link store, the record source (episode store +
 * mapping + the SessionView reader), the charts and the PDF renderer of src/summary.
 */
import type { RedisClient } from '../../redis-client.js';
import type { ServiceConfig } from '../../config/service-config.js';
import type { AtRestCodec } from '../../crypto/at-rest-codec.js';
import { EpisodeStore } from '../../pipeline/episode-store.js';
import type { AppOptions } from '../app-options.js';
import { ViewLinkStore } from './link-store.js';
import { DEVELOPMENT_VIEW_LINK_KEY } from './link-token.js';
import type { PatientRecordSource, SessionViewReader } from './patient-record.js';
import type { ViewCharts } from './render-view.js';
import { viewSummary, type SessionPdf, type ViewDocuments } from './summary-modules.js';

/** The web view's dependencies. */
export interface ViewDeps {
  links: ViewLinkStore;
  records: PatientRecordSource;
  charts?: ViewCharts;
  /** Absent: no document links, the PDF routes answer 404. */
  pdf?: SessionPdf;
  /** The episode summary and the REMS record PDFs (absent: no such links, their routes answer 404). */
  documents?: ViewDocuments;
  /** The service's public base URL (absolute links). */
  publicUrl?: string;
  /** Default link life (days). */
  defaultDays: number;
}

/**
 * The link store of a service: the API's Redis and prefix, its at-rest codec, the configured secret (the
 * development secret outside production; production refuses to start without one).
 */
export function viewLinkStore(config: Pick<ServiceConfig, 'viewLinkKey'>, redis: RedisClient, prefix: string, codec: AtRestCodec): ViewLinkStore {
  return new ViewLinkStore({ redis, prefix, codec, secret: config.viewLinkKey ?? DEVELOPMENT_VIEW_LINK_KEY });
}

/**
 * The view's dependencies from the app's options.
 * @param options - the app's options
 * @param parts - the reader, charts, PDF renderer and on-request documents (default: src/summary's)
 */
export function viewDeps(
  options: Pick<AppOptions, 'config' | 'redis' | 'prefix' | 'codec'>,
  parts: { reader: SessionViewReader; charts?: ViewCharts; pdf?: SessionPdf; documents?: ViewDocuments } = viewSummary
): ViewDeps {
  const { config, redis, prefix, codec } = options;
  return {
    links: viewLinkStore(config, redis, prefix, codec),
    records: {
      redis,
      prefix,
      store: new EpisodeStore(redis, prefix, codec),
      reader: parts.reader,
      safety: (clinicId) => config.clinics.find((c) => c.id === clinicId)?.safety,
    },
    ...(parts.charts ? { charts: parts.charts } : {}),
    ...(parts.pdf ? { pdf: parts.pdf } : {}),
    ...(parts.documents ? { documents: parts.documents } : {}),
    ...(config.publicUrl ? { publicUrl: config.publicUrl } : {}),
    defaultDays: config.viewLinkDays,
  };
}
