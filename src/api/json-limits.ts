/**
 * JSON shape limits applied after parsing: nesting depth and array length. A parsed body deeper
 * or wider than allowed is refused with 413 before any handler walks it.
 */
import type { NextFunction, Request, Response } from 'express';
import { httpError } from './http-outcomes.js';

/**
 * Checks a JSON value against depth and array-length limits without recursion.
 * @returns a description of the first breach, or undefined when the value is within limits
 */
export function jsonLimitBreach(value: unknown, maxDepth: number, maxArray: number): string | undefined {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop() as [unknown, number];
    if (v === null || typeof v !== 'object') {
      continue;
    }
    if (depth > maxDepth) {
      return `JSON nesting deeper than ${maxDepth}`;
    }
    if (Array.isArray(v)) {
      if (v.length > maxArray) {
        return `JSON array longer than ${maxArray}`;
      }
      for (const x of v) {
        stack.push([x, depth + 1]);
      }
    } else {
      for (const x of Object.values(v)) {
        stack.push([x, depth + 1]);
      }
    }
  }
  return undefined;
}

/** Middleware enforcing the JSON limits on `req.body`. */
export function jsonLimits(maxDepth: number, maxArray: number) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const breach = req.body === undefined ? undefined : jsonLimitBreach(req.body, maxDepth, maxArray);
    if (breach) {
      throw httpError(413, 'too-costly', breach);
    }
    next();
  };
}
