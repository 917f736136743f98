/**
 * The software version, read from the project's package.json (found upwards from this module,
 * so it works from src/ and from dist/src/).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function readVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      return (JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version ?? '0.0.0';
    }
    dir = dirname(dir);
  }
  return '0.0.0';
}

/** The version of kap-fhir (package.json). */
export const VERSION: string = readVersion();
