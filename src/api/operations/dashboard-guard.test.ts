/**
 * The dashboard guard against bull-board's own route list: of its write routes only retry, promote,
 * remove (clean) and pause/resume pass; every route that writes job contents is refused.
 */
import { describe, expect, test } from '@jest/globals';
import { createRequire } from 'node:module';
import { dashboardRequestAllowed } from './routes.js';

const require = createRequire(import.meta.url);
const { appRoutes } = require('@bull-board/api/dist/routes.js') as { appRoutes: { api: { method: string; route: string | string[] }[] } };

/** A concrete path for a route pattern (`:param` → a sample value). */
function sample(route: string): string {
  return route.replace(/:queueStatus/g, 'failed').replace(/:[A-Za-z]+/g, 'x-1');
}

describe('dashboardRequestAllowed', () => {
  const writes = appRoutes.api
    .flatMap((r) => (Array.isArray(r.route) ? r.route : [r.route]).map((route) => ({ method: r.method.toUpperCase(), route })))
    .filter((r) => r.method !== 'GET');

  test('bull-board routes: only retry, promote, clean and pause/resume writes pass', () => {
    const allowed = writes.filter((r) => dashboardRequestAllowed(r.method, sample(r.route))).map((r) => `${r.method} ${r.route}`);
    expect(allowed.sort()).toEqual(
      [
        'PUT /api/queues/:queueName/:jobId/clean',
        'PUT /api/queues/:queueName/:jobId/promote',
        'PUT /api/queues/:queueName/:jobId/retry',
        'PUT /api/queues/:queueName/clean/:queueStatus',
        'PUT /api/queues/:queueName/pause',
        'PUT /api/queues/:queueName/promote',
        'PUT /api/queues/:queueName/resume',
        'PUT /api/queues/:queueName/retry/:queueStatus',
        'PUT /api/queues/pause',
        'PUT /api/queues/resume',
      ].sort()
    );
  });

  test('content writes are refused, also spelled otherwise', () => {
    for (const [method, path] of [
      ['POST', '/api/queues/q/add'],
      ['POST', '/api/queues/q/ADD'],
      ['POST', '/api/queues/q/add/'],
      ['PATCH', '/api/queues/q/j/update-data'],
      ['PATCH', '/api/queues/q/job-schedulers/s'],
      ['PATCH', '/api/queues/q/job-schedulers/delay'],
      ['PUT', '/api/queues/q/job-schedulers/s/run'],
      ['PUT', '/api/queues/q/j/RETRY'],
      ['DELETE', '/api/queues/q/j'],
    ]) {
      expect({ method, path, allowed: dashboardRequestAllowed(method, path) }).toEqual({ method, path, allowed: false });
    }
    expect(dashboardRequestAllowed('GET', '/api/queues')).toBe(true);
  });
});
