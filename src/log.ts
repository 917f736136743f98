/**
 * The one logger (pino). Log ids, counts, codes and durations — never names, birth dates,
 * identifier values, free text, query strings or a rejected value. `redact` is the safety net
 * for fields that must never appear; the log-scan test is the proof.
 */
import { pino, type Logger } from 'pino';

/** Paths pino censors wherever they appear in a log object. */
export const REDACT_PATHS = [
  'name',
  '*.name',
  'birthDate',
  '*.birthDate',
  'identifier',
  '*.identifier',
  'telecom',
  '*.telecom',
  'address',
  '*.address',
  'text',
  '*.text',
  'body',
  '*.body',
  'resource',
  '*.resource',
  'patient',
  '*.patient',
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'authorization',
  'token',
  '*.token',
  'secret',
  '*.secret',
];

/**
 * Creates a logger. Level from `LOG_LEVEL` (default `info`; `silent` under jest unless set).
 * @param destination - optional pino destination (tests capture logs through it)
 */
export function createLogger(destination?: pino.DestinationStream): Logger {
  const level = process.env.LOG_LEVEL ?? (process.env.JEST_WORKER_ID ? 'silent' : 'info');
  return pino(
    {
      level,
      base: { service: 'kap-fhir' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    },
    destination
  );
}

/** The process-wide logger. */
export const log: Logger = createLogger();
