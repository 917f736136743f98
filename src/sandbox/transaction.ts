/**
 * Transaction Bundles for the sandbox, processed here rather than by fhir-router's BatchProcessor:
 * Medplum 5.2 refuses a transaction with conditional entries beyond 8 entries ("requires strict
 * isolation but has too many entries") and any beyond 50 updates (limits of Medplum's own server,
 * measured), and a KAP episode is 20–100 entries of conditional updates. FHIR R4 http.html#transaction:
 * resolve every entry's target first (conditional update: 0 matches → create, 1 → update, more → 412),
 * replace `urn:uuid` references by the resolved `Type/id`, then write — all or nothing (the
 * repository's atomic transaction).
 */
import { badRequest, OperationOutcomeError, parseSearchRequest, preconditionFailed } from '@medplum/core';
import type { Bundle, BundleEntry, Resource } from '@medplum/fhirtypes';
import type { SandboxRepository } from './sandbox-repository.js';

interface Planned {
  entry: BundleEntry;
  type: string;
  id: string;
  exists: boolean;
  skip?: boolean;
  /** `PUT Type/<id>` (not conditional). */
  byId?: boolean;
}

/**
 * Runs a transaction Bundle of PUT (by id or conditional) and POST (optionally If-None-Exist) entries.
 * @param repo - the repository
 * @param bundle - the transaction Bundle
 * @param minimal - `Prefer: return=minimal`: entries without their resources
 * @returns the transaction-response Bundle
 * @throws OperationOutcomeError (400 unsupported entry / invalid, 412 several matches)
 */
export async function processTransaction(repo: SandboxRepository, bundle: Bundle, minimal = false): Promise<Bundle> {
  return repo.withTransaction(async () => {
    const entries = bundle.entry ?? [];
    const plans: Planned[] = [];
    const ids = new Map<string, string>();
    for (const [i, entry] of entries.entries()) {
      const method = entry.request?.method;
      const url = entry.request?.url ?? '';
      const resource = entry.resource;
      if (!resource || (method !== 'PUT' && method !== 'POST')) {
        throw new OperationOutcomeError(badRequest('Only PUT and POST entries are supported', `Bundle.entry[${i}].request`));
      }
      const [path, query] = url.split('?');
      const [type, id] = path.split('/');
      if (type !== resource.resourceType) {
        throw new OperationOutcomeError(badRequest('Entry URL does not match the resource type', `Bundle.entry[${i}].request.url`));
      }
      let plan: Planned;
      if (method === 'PUT' && id) {
        plan = { entry, type, id, exists: await exists(repo, type, id), byId: true };
      } else if (method === 'PUT' && query) {
        const found = await repo.searchResources(parseSearchRequest(`${type}?${query}`));
        if (found.length > 1) {
          throw new OperationOutcomeError(preconditionFailed);
        }
        plan = found.length === 1 ? { entry, type, id: found[0].id as string, exists: true } : { entry, type, id: repo.generateId(), exists: false };
      } else if (method === 'POST' && entry.request?.ifNoneExist) {
        const found = await repo.searchResources(parseSearchRequest(`${type}?${entry.request.ifNoneExist}`));
        if (found.length > 1) {
          throw new OperationOutcomeError(preconditionFailed);
        }
        plan = found.length === 1
          ? { entry, type, id: found[0].id as string, exists: true, skip: true }
          : { entry, type, id: repo.generateId(), exists: false };
      } else if (method === 'POST') {
        plan = { entry, type, id: repo.generateId(), exists: false };
      } else {
        throw new OperationOutcomeError(badRequest('Unsupported entry request', `Bundle.entry[${i}].request`));
      }
      plans.push(plan);
      if (entry.fullUrl) {
        ids.set(entry.fullUrl, `${type}/${plan.id}`);
      }
    }
    const response: BundleEntry[] = [];
    for (const plan of plans) {
      let written: Resource;
      if (plan.skip) {
        written = await repo.readResource(plan.type, plan.id);
      } else {
        const body = resolveReferences(plan.entry.resource as Resource, ids);
        // Strict server ids: a `PUT Type/<id>` of a missing id is refused as an update (no update-as-create).
        written = plan.exists || (plan.byId && repo.strict?.serverIds)
          ? await repo.updateResource({ ...body, id: plan.id })
          : await repo.createResource({ ...body, id: plan.id }, { assignedId: true });
      }
      response.push({
        fullUrl: plan.entry.fullUrl,
        ...(minimal ? {} : { resource: written }),
        response: {
          status: plan.exists ? '200 OK' : '201 Created',
          location: `${plan.type}/${plan.id}/_history/${written.meta?.versionId ?? '1'}`,
          etag: `W/"${written.meta?.versionId ?? '1'}"`,
        },
      });
    }
    return { resourceType: 'Bundle', type: 'transaction-response', entry: response };
  });
}

async function exists(repo: SandboxRepository, type: string, id: string): Promise<boolean> {
  try {
    await repo.readResource(type, id);
    return true;
  } catch {
    return false;
  }
}

function resolveReferences(resource: Resource, ids: Map<string, string>): Resource {
  const copy = structuredClone(resource);
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) {
      v.forEach(visit);
    } else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.reference === 'string' && ids.has(o.reference)) {
        o.reference = ids.get(o.reference);
      }
      Object.values(o).forEach(visit);
    }
  };
  visit(copy);
  return copy;
}
