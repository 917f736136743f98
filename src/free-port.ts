/** A free TCP port on the loopback interface (asked of the OS: listen on 0, read it, close). */
import { createServer } from 'node:net';

/**
 * A port nothing listens on at the moment of asking.
 * @returns the port
 */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}
