/**
 * The instrument registry: `getInstrument(id)` and `INSTRUMENT_IDS` (docs/conventions.md "Instruments API").
 */
import { cadss6 } from './cadss-6.js';
import { cssrsScreen } from './cssrs-screen.js';
import { cssrsSinceLastVisit } from './cssrs-since-last-visit.js';
import { gad7 } from './gad-7.js';
import { pcl5 } from './pcl-5.js';
import { phq9 } from './phq-9.js';
import type { Instrument, InstrumentId } from './types.js';

/** Every instrument id, in a stable order. */
export const INSTRUMENT_IDS: readonly InstrumentId[] = ['phq9', 'gad7', 'pcl5', 'cssrs-screen', 'cssrs-since-last-visit', 'cadss6'];

const REGISTRY: Readonly<Record<InstrumentId, Instrument>> = {
  phq9,
  gad7,
  pcl5,
  'cssrs-screen': cssrsScreen,
  'cssrs-since-last-visit': cssrsSinceLastVisit,
  cadss6,
};

/** True when `id` is a known instrument id. */
export function isInstrumentId(id: string): id is InstrumentId {
  return (INSTRUMENT_IDS as readonly string[]).includes(id);
}

/**
 * The instrument with this id.
 * @throws Error for an unknown id (ids come from validated input; the message names no submitted value)
 */
export function getInstrument(id: InstrumentId): Instrument {
  const instrument = isInstrumentId(id) ? REGISTRY[id] : undefined;
  if (!instrument) {
    throw new Error('Unknown instrument id');
  }
  return instrument;
}
