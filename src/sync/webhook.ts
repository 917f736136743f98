/**
 * Signed webhook delivery: the Bundle POSTed as `application/fhir+json` with
 * `X-Kap-Timestamp: <unix seconds>` and `X-Kap-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`
 * and `X-Kap-Delivery: <job id>` (receivers de-duplicate on it). Verification: docs/sync.md.
 */
import { createHmac } from 'node:crypto';
import type { TargetConfig } from './config.js';
import { classifyError, targetHttpError } from './errors.js';

/**
 * Signs a body.
 * @param secret - the shared secret
 * @param timestamp - unix seconds
 * @param body - the exact bytes sent
 * @returns the `X-Kap-Signature` value
 */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * POSTs a Bundle to a webhook target.
 * @param target - the target (type `webhook`)
 * @param body - the Bundle as JSON text (signed and sent byte for byte)
 * @param deliveryId - the job id (idempotency key for the receiver)
 * @throws DeliveryError
 */
export async function postWebhook(target: TargetConfig, body: string, deliveryId: string): Promise<void> {
  const timestamp = Math.floor(Date.now() / 1000);
  let res: Response;
  try {
    res = await fetch(target.url as string, {
      method: 'POST',
      headers: {
        'content-type': 'application/fhir+json',
        'x-kap-timestamp': String(timestamp),
        'x-kap-signature': signWebhook(target.webhookSecret as string, timestamp, body),
        'x-kap-delivery': deliveryId,
      },
      body,
      signal: AbortSignal.timeout(target.timeoutMs),
    });
  } catch (err) {
    throw classifyError(err);
  }
  if (!res.ok) {
    const data = await res.json().catch(() => undefined);
    throw targetHttpError(res.status, data, res.headers.get('retry-after'));
  }
  await res.body?.cancel().catch(() => undefined);
}
