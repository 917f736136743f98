/**
 * Rules every JSON body must meet before any handler walks it (docs/security.md "Input"):
 * - no duplicate object keys anywhere (JSON.parse silently keeps the last one, so the value a
 *   handler sees could differ from the one another reader of the same text sees) → 400 naming the
 *   path of the duplicate. The raw text is scanned once by `jsonc-parser`'s event visitor (no AST)
 *   in express.json's `verify` hook; the scan stops at the first duplicate or past the depth limit;
 * - nesting depth and array length within limits → 413;
 * - every string (values and field names) well-formed UTF-16: a lone surrogate (e.g. `"\ud800"`)
 *   is not text any FHIR server or database can store faithfully → 400 naming the field.
 * Refusals name the field (FHIRPath-like, rooted at the body's `resourceType` for FHIR bodies),
 * never its value.
 */
import type { IncomingMessage } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import type { OperationOutcomeIssue } from '@medplum/fhirtypes';
import { visit } from 'jsonc-parser';
import { zodPathToExpression } from '../outcomes.js';
import { isWellFormedText, LONE_SURROGATE_TEXT } from '../unicode.js';
import { httpError, type OutcomeStatus } from '../http-outcomes.js';

/** A path into a JSON value: object keys and array indexes. */
export type JsonPath = (string | number)[];

/** Why a body is refused. */
export interface JsonBreach {
  status: Extract<OutcomeStatus, 400 | 413 | 415>;
  code: OperationOutcomeIssue['code'];
  /** Fixed text (never a submitted value). */
  text: string;
  /** Where (absent when the breach is about the body as a whole). */
  path?: JsonPath;
}

/** Fixed text of a lone-surrogate refusal in a field name (the expression names the object holding it). */
export const LONE_SURROGATE_KEY_TEXT = 'A field name is not well-formed Unicode (a lone UTF-16 surrogate)';

/** One value still to visit: the value, its depth, its key in the parent and the parent's frame. */
type Frame = [value: unknown, depth: number, key: string | number | undefined, parent: Frame | undefined];

function pathOf(frame: Frame | undefined): JsonPath {
  const path: JsonPath = [];
  for (let f = frame; f && f[2] !== undefined; f = f[3]) {
    path.push(f[2]);
  }
  return path.reverse();
}

/**
 * Checks a parsed JSON value, without recursion, against the depth and array-length limits and for
 * lone surrogates in strings and field names.
 * @param value - the parsed body
 * @param maxDepth - deepest nesting of objects and arrays allowed (the top level is 1)
 * @param maxArray - longest array allowed
 * @returns the first breach found, or undefined when the value meets every rule
 */
export function jsonLimitBreach(value: unknown, maxDepth: number, maxArray: number): JsonBreach | undefined {
  const stack: Frame[] = [[value, 1, undefined, undefined]];
  while (stack.length > 0) {
    const frame = stack.pop() as Frame;
    const [v, depth] = frame;
    if (typeof v === 'string') {
      if (!isWellFormedText(v)) {
        return { status: 400, code: 'invalid', text: LONE_SURROGATE_TEXT, path: pathOf(frame) };
      }
      continue;
    }
    if (v === null || typeof v !== 'object') {
      continue;
    }
    if (depth > maxDepth) {
      return { status: 413, code: 'too-costly', text: `JSON nesting deeper than ${maxDepth}` };
    }
    if (Array.isArray(v)) {
      if (v.length > maxArray) {
        return { status: 413, code: 'too-costly', text: `JSON array longer than ${maxArray}`, path: pathOf(frame) };
      }
      for (let i = v.length - 1; i >= 0; i--) {
        stack.push([v[i], depth + 1, i, frame]);
      }
    } else {
      const keys = Object.keys(v);
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i] as string;
        if (!isWellFormedText(key)) {
          return { status: 400, code: 'invalid', text: LONE_SURROGATE_KEY_TEXT, path: pathOf(frame) };
        }
        stack.push([(v as Record<string, unknown>)[key], depth + 1, key, frame]);
      }
    }
  }
  return undefined;
}

/** Thrown inside the visitor to stop the scan early. */
class StopScan extends Error {
  constructor(readonly breach: JsonBreach) {
    super('stop');
  }
}

/**
 * Scans a JSON text for duplicate object keys (after unescaping: `"id"` and `"\u0069d"` are the
 * same key) with jsonc-parser's visitor: no tree is built, the work is one pass over the text. The
 * scan stops at the first duplicate, and past `maxDepth` (the visitor recurses, so a deeper body
 * is refused here as too deep instead of being walked). A text that is not JSON yields no breach:
 * JSON.parse refuses it afterwards.
 * @param text - the JSON text
 * @param maxDepth - deepest nesting allowed
 * @returns the first duplicate (400, its path) or a depth breach (413), or undefined
 */
export function jsonTextBreach(text: string, maxDepth: number): JsonBreach | undefined {
  const keys: Set<string>[] = [];
  let depth = 0;
  const deeper = (): void => {
    depth += 1;
    if (depth > maxDepth) {
      throw new StopScan({ status: 413, code: 'too-costly', text: `JSON nesting deeper than ${maxDepth}` });
    }
  };
  try {
    visit(
      text,
      {
        onObjectBegin: () => {
          deeper();
          keys.push(new Set());
        },
        onObjectEnd: () => {
          depth -= 1;
          keys.pop();
        },
        onArrayBegin: deeper,
        onArrayEnd: () => {
          depth -= 1;
        },
        onObjectProperty: (property, _offset, _length, _line, _character, pathSupplier) => {
          const seen = keys[keys.length - 1];
          if (seen?.has(property)) {
            throw new StopScan({ status: 400, code: 'invalid', text: 'Duplicate field in a JSON object', path: [...pathSupplier(), property] });
          }
          seen?.add(property);
        },
      },
      { disallowComments: true, allowTrailingComma: false }
    );
  } catch (err) {
    if (err instanceof StopScan) {
      return err.breach;
    }
    throw err;
  }
  return undefined;
}

/** What the raw-text scan found, per request, until the JSON limits middleware reads it. */
const textBreaches = new WeakMap<IncomingMessage, JsonBreach>();

/**
 * The `verify` option of `express.json`: scans the raw body for duplicate keys (see
 * {@link jsonTextBreach}) and records what it finds for {@link jsonLimits}, which refuses after a
 * successful parse (a body that is not JSON stays a plain 400). Nothing is thrown here, so
 * body-parser never attaches the raw body to an error.
 * @param maxDepth - deepest nesting allowed
 */
export function scanJsonText(maxDepth: number) {
  return (req: IncomingMessage, _res: unknown, buf: Buffer, encoding: string): void => {
    let text: string;
    try {
      text = new TextDecoder(encoding || 'utf-8').decode(buf);
    } catch {
      // A charset this scan cannot read (body-parser reads more, e.g. UTF-32): refuse rather than skip the scan.
      textBreaches.set(req, { status: 415, code: 'not-supported', text: 'Unsupported body encoding: send UTF-8' });
      return;
    }
    const breach = jsonTextBreach(text, maxDepth);
    if (breach) {
      textBreaches.set(req, breach);
    }
  };
}

/** The expression root of a body: its `resourceType` for a FHIR resource (e.g. `Patient.name[0].family`). */
function rootOf(body: unknown): string | undefined {
  const type = (body as { resourceType?: unknown } | null)?.resourceType;
  return typeof type === 'string' && /^[A-Z][A-Za-z]{1,63}$/.test(type) ? type : undefined;
}

/** A field name fit for an expression: long or ill-formed names are not echoed. */
function printable(path: JsonPath): JsonPath {
  return path.map((p) => (typeof p === 'string' && (p.length > 64 || !isWellFormedText(p)) ? '(field)' : p));
}

/**
 * Middleware enforcing the JSON body rules on `req.body` (and the raw-text scan's findings).
 * @param maxDepth - deepest nesting allowed
 * @param maxArray - longest array allowed
 */
export function jsonLimits(maxDepth: number, maxArray: number) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const breach = textBreaches.get(req) ?? (req.body === undefined ? undefined : jsonLimitBreach(req.body, maxDepth, maxArray));
    textBreaches.delete(req);
    if (breach) {
      const expression = breach.path ? zodPathToExpression(printable(breach.path), rootOf(req.body)) : undefined;
      throw httpError(breach.status, breach.code, breach.text, expression);
    }
    next();
  };
}
