/**
 * The sandbox EHR answers without credentials (reads, writes, deletes, fault injection): it is for
 * this machine only. Loopback = IPv4 127.0.0.0/8, IPv6 ::1, and IPv4-mapped 127.x (`::ffff:127.0.0.1`).
 * The socket's own remote address decides (never X-Forwarded-For: a client writes that header).
 */
import { isIP } from 'node:net';
import type { NextFunction, Request, Response } from 'express';
import type { OperationOutcome } from '@medplum/fhirtypes';
import { forbidden } from '../outcomes.js';

/**
 * Whether an IP address is a loopback address.
 * @param address - an IPv4 or IPv6 address as Node reports it (`socket.remoteAddress`)
 */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) {
    return false;
  }
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  const v4 = mapped ? mapped[1] : address;
  if (isIP(v4) === 4) {
    return v4.startsWith('127.');
  }
  // ::1 in any spelling (0:0:0:0:0:0:0:1, ::0001): all zero groups but a last group of 1.
  return isIP(address) === 6 && address.replace(/[:0]/g, '') === '1' && /:0{0,3}1$/.test(address);
}

/**
 * Whether a listen address keeps a server on loopback: `localhost` or a loopback IP.
 * @param host - what the server is to listen on
 */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  return bare.toLowerCase() === 'localhost' || isLoopbackAddress(bare);
}

/** The 403 answer to a client that is not on loopback. */
export const remoteRefused: OperationOutcome = {
  ...forbidden,
  issue: [{ severity: 'error', code: 'forbidden', details: { text: 'The sandbox EHR answers loopback clients only' } }],
};

/** Middleware: 403 OperationOutcome unless the client connects from a loopback address. */
export function loopbackOnly(req: Request, res: Response, next: NextFunction): void {
  if (!isLoopbackAddress(req.socket.remoteAddress)) {
    res.status(403).type('application/fhir+json').send(JSON.stringify(remoteRefused));
    return;
  }
  next();
}
