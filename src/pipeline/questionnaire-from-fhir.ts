/**
 * A FHIR QuestionnaireResponse of a KAP instrument → the KAP questionnaire result
 * (`{ id, instrument, authored, sessionId?, answers }`). The item scores are read by the
 * instruments module's own `answersFromResponse` (src/instruments/response-answers.ts), the one
 * reader the CLI scores with too, so a FHIR-form and a KAP-form submission of the same answers
 * score identically. The JSON types the reader relies on are checked first, so junk is refused
 * naming the element. Refusals name the element (`QuestionnaireResponse.item[2].answer[0]`),
 * never its value.
 */
import type { OperationOutcome, OperationOutcomeIssue, QuestionnaireResponse } from '@medplum/fhirtypes';
import { createHash } from 'node:crypto';
import { FHIR_ID } from '../fhir-id.js';
import { answersFromResponse } from '../instruments/index.js';
import { issue, outcome } from '../outcomes.js';

/** A parsed submission part, or the outcome naming the fields. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; outcome: OperationOutcome };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The JSON shape `answersFromResponse` reads: `questionnaire`, `status`, `id`, `authored` strings,
 * `identifier` an object, `item` (recursively, also under `answer[].item`) arrays of objects with a
 * string `linkId`, `answer` arrays of objects whose `valueCoding` is an object of strings and
 * `valueInteger` an integer.
 * @returns the issues (empty when the shape is fine)
 */
export function responseShapeIssues(qr: Record<string, unknown>): OperationOutcomeIssue[] {
  const issues: OperationOutcomeIssue[] = [];
  const bad = (expression: string, text: string): void => {
    issues.push(issue('error', 'structure', text, expression));
  };
  for (const key of ['questionnaire', 'status', 'id', 'authored'] as const) {
    if (qr[key] !== undefined && typeof qr[key] !== 'string') {
      bad(`QuestionnaireResponse.${key}`, 'Expected a string');
    }
  }
  if (qr.identifier !== undefined) {
    if (!isObject(qr.identifier)) {
      bad('QuestionnaireResponse.identifier', 'Expected an object');
    } else if (qr.identifier.value !== undefined && typeof qr.identifier.value !== 'string') {
      bad('QuestionnaireResponse.identifier.value', 'Expected a string');
    }
  }
  const items = (value: unknown, path: string): void => {
    if (value === undefined) {
      return;
    }
    if (!Array.isArray(value)) {
      bad(path, 'Expected an array');
      return;
    }
    value.forEach((it: unknown, i) => {
      const at = `${path}[${i}]`;
      if (!isObject(it)) {
        bad(at, 'Expected an object');
        return;
      }
      if (typeof it.linkId !== 'string') {
        bad(`${at}.linkId`, it.linkId === undefined ? 'Missing required field' : 'Expected a string');
      }
      items(it.item, `${at}.item`);
      if (it.answer === undefined) {
        return;
      }
      if (!Array.isArray(it.answer)) {
        bad(`${at}.answer`, 'Expected an array');
        return;
      }
      it.answer.forEach((a: unknown, j) => {
        const aAt = `${at}.answer[${j}]`;
        if (!isObject(a)) {
          bad(aAt, 'Expected an object');
          return;
        }
        if (a.valueCoding !== undefined) {
          const c = a.valueCoding;
          if (!isObject(c)) {
            bad(`${aAt}.valueCoding`, 'Expected an object');
          } else {
            for (const k of ['system', 'code'] as const) {
              if (c[k] !== undefined && typeof c[k] !== 'string') {
                bad(`${aAt}.valueCoding.${k}`, 'Expected a string');
              }
            }
          }
        }
        if (a.valueInteger !== undefined && !Number.isInteger(a.valueInteger)) {
          bad(`${aAt}.valueInteger`, 'Expected an integer');
        }
        items(a.item, `${aAt}.item`);
      });
    });
  };
  items(qr.item, 'QuestionnaireResponse.item');
  return issues;
}

/** A stable id for a response that carries none (the same response gets the same id: a re-post is a 409). */
function derivedId(qr: Record<string, unknown>): string {
  return `qr-${createHash('sha256').update(JSON.stringify(qr)).digest('hex').slice(0, 32)}`;
}

/**
 * Converts a QuestionnaireResponse.
 * @param qr - the resource as received (any JSON object)
 * @param sessionId - the KAP session it belongs to (optional)
 */
export function questionnaireResultFromFhir(qr: unknown, sessionId?: string): Parsed<Record<string, unknown>> {
  const fail = (issues: OperationOutcomeIssue[]): Parsed<never> => ({ ok: false, outcome: outcome(issues) });
  if (!isObject(qr)) {
    return fail([issue('error', 'structure', 'Expected a QuestionnaireResponse object', 'QuestionnaireResponse')]);
  }
  const shape = responseShapeIssues(qr);
  if (shape.length > 0) {
    return fail(shape);
  }
  if (qr.questionnaire === undefined) {
    return fail([issue('error', 'required', 'Missing required field', 'QuestionnaireResponse.questionnaire')]);
  }
  if (qr.status === undefined) {
    return fail([issue('error', 'required', 'Missing required field', 'QuestionnaireResponse.status')]);
  }
  const read = answersFromResponse(qr as unknown as QuestionnaireResponse);
  if (!read.ok) {
    return fail(read.issues);
  }
  if (typeof qr.authored !== 'string' || qr.authored === '') {
    return fail([issue('error', 'required', 'Missing required field', 'QuestionnaireResponse.authored')]);
  }
  const given = (qr.id as string | undefined) ?? ((qr.identifier as { value?: string } | undefined)?.value);
  if (given !== undefined && !FHIR_ID.test(given)) {
    const field = qr.id !== undefined ? 'QuestionnaireResponse.id' : 'QuestionnaireResponse.identifier.value';
    return fail([issue('error', 'invalid', 'Must match [A-Za-z0-9-.]{1,64}', field)]);
  }
  return {
    ok: true,
    value: {
      id: given ?? derivedId(qr),
      instrument: read.instrument,
      authored: qr.authored,
      ...(sessionId ? { sessionId } : {}),
      answers: read.answers,
    },
  };
}
