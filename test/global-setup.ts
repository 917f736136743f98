/**
 * Jest global setup of `npm test`: builds dist/ once, before any test file runs, when it is older than
 * the sources (after CI's `npm run build` or a fresh `npm ci`: nothing to do). The tests' child
 * processes (the `kap-fhir` binary, the sandbox's entry point; test/helpers/cli.ts) run the compiled
 * tree, never a TypeScript loader; building here rather than in the tests means no test rewrites dist/
 * while another one's child is loading it. Self-contained: Node loads this file's imports itself
 * (jest's module mapping does not apply to a global setup).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const DIST = join(ROOT, 'dist');
/** The folders `npm run build` compiles (tsconfig.build.json). */
const BUILD_INPUTS = ['src', 'queues', 'bench', 'scripts'];

/** Newest modification time of the non-test .ts files under a folder (recursive). */
function newest(dir: string): number {
  let max = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      max = Math.max(max, newest(p));
    } else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')) {
      max = Math.max(max, statSync(p).mtimeMs);
    }
  }
  return max;
}

/** When the tree under `dist` was built (its CLI's emit time), 0 when there is none. */
function builtAt(dist: string): number {
  try {
    return statSync(join(dist, 'src', 'cli', 'main.js')).mtimeMs;
  } catch {
    return 0;
  }
}

/** True when dist/ is missing or older than a source file it is compiled from. */
export function distIsStale(): boolean {
  const sources = Math.max(...BUILD_INPUTS.filter((d) => existsSync(join(ROOT, d))).map((d) => newest(join(ROOT, d))));
  return builtAt(DIST) < sources;
}

/**
 * Builds dist/ with this Node (tsc -p tsconfig.build.json). The build goes to a fresh folder swapped
 * in at the end, so a process still running from the old dist/ (another run on this machine) never
 * loads a half-written tree, and the output of deleted sources does not linger. A type error elsewhere
 * does not stop the build (tsc still emits; `npm run typecheck` reports it).
 * @throws when there is no dist/ afterwards
 */
export function buildDist(): void {
  const fresh = join(ROOT, `dist.build-${process.pid}`);
  const old = join(ROOT, `dist.old-${process.pid}`);
  rmSync(fresh, { recursive: true, force: true });
  try {
    execFileSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json', '--outDir', fresh], {
      cwd: ROOT,
      stdio: 'pipe',
    });
  } catch {
    // a type error: tsc emitted all the same (checked below)
  }
  if (builtAt(fresh) > 0) {
    try {
      if (existsSync(DIST)) {
        renameSync(DIST, old);
      }
      renameSync(fresh, DIST);
    } catch {
      // another run on this machine swapped its build in at the same moment: keep that one
      if (!existsSync(DIST) && existsSync(old)) {
        renameSync(old, DIST);
      }
    }
  }
  rmSync(fresh, { recursive: true, force: true });
  rmSync(old, { recursive: true, force: true });
  if (builtAt(DIST) === 0) {
    throw new Error('dist/ is missing and could not be built: run npm run build');
  }
}

export default function globalSetup(): void {
  // The services the tests start run one map thread each (the service's default is one per core): a
  // suite starts dozens of them, two at a time, and each thread loads the profiles. The tests that are
  // about the thread count set it themselves.
  process.env.KAP_MAP_THREADS ??= '1';
  if (distIsStale()) {
    const started = Date.now();
    process.stderr.write('\nnpm test: dist/ is older than the sources: building it once (tsc -p tsconfig.build.json) ...\n');
    buildDist();
    process.stderr.write(`npm test: dist/ built in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  }
}
