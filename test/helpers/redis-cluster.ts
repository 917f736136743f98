/**
 * A real local Redis Cluster for tests: `redis-server` from PATH started N times (three masters by default,
 * no replicas) on free ports with cluster mode and AOF (`appendfsync always`: an acknowledged write survives
 * a SIGKILL), joined with `redis-cli --cluster create`, ready once every node reports `cluster_state:ok`.
 * Its data lives in a temporary folder removed by `stop()`. A master can be restarted (SIGKILL or SHUTDOWN,
 * then started again on its folder and nodes.conf: it comes back with its slots and its AOF).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { freePort } from '../../src/free-port.js';

const run = promisify(execFile);

/** A running local cluster. */
export interface LocalRedisCluster {
  nodes: { host: string; port: number }[];
  /** `127.0.0.1:p1,127.0.0.1:p2,…`: what REDIS_CLUSTER_NODES / KAP_TEST_REDIS_CLUSTER take. */
  nodesEnv: string;
  /** The port of the master that holds a key's slot. */
  masterPortForKey(key: string): Promise<number>;
  /** Stops a master (SIGKILL, or SHUTDOWN: AOF flushed) and starts it again; resolves once the cluster is ok. */
  restartMaster(port: number, how?: 'kill' | 'shutdown'): Promise<void>;
  stop(): Promise<void>;
}

/** How long the cluster may take to form or heal (a busy two-core machine). */
const READY_TIMEOUT_MS = 60_000;

/** One node: its ports, folder and process. */
interface ClusterNodeProcess {
  port: number;
  busPort: number;
  dir: string;
  child?: ChildProcess;
  exited?: Promise<void>;
}

/** True when nothing listens on the port (a listen on it succeeds). */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** A port pair for a node: the client port and the cluster bus port, both free and not taken already. */
async function freePorts(taken: Set<number>): Promise<{ port: number; busPort: number }> {
  const pick = async (): Promise<number> => {
    for (;;) {
      const p = await freePort();
      if (!taken.has(p) && (await portIsFree(p))) {
        taken.add(p);
        return p;
      }
    }
  };
  return { port: await pick(), busPort: await pick() };
}

/** Runs redis-cli against a node. */
async function cli(port: number, ...args: string[]): Promise<string> {
  const { stdout } = await run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], { timeout: 10_000 });
  return stdout;
}

/** Waits for a condition (polled every 100 ms). */
async function until(what: string, check: () => Promise<boolean>, timeoutMs = READY_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) {
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(`redis cluster: ${what} within ${timeoutMs} ms`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Starts (or starts again) one node's redis-server. */
async function startNode(node: ClusterNodeProcess): Promise<void> {
  mkdirSync(node.dir, { recursive: true });
  const child = spawn(
    'redis-server',
    [
      '--port', String(node.port),
      '--cluster-port', String(node.busPort),
      '--bind', '127.0.0.1',
      '--cluster-enabled', 'yes',
      '--cluster-config-file', 'nodes.conf',
      '--cluster-node-timeout', '2000',
      '--appendonly', 'yes',
      '--appendfsync', 'always',
      '--maxmemory-policy', 'noeviction',
      '--dir', node.dir,
      '--save', '',
      '--daemonize', 'no',
      '--loglevel', 'warning',
      '--logfile', join(node.dir, 'redis.log'),
    ],
    { stdio: 'ignore' }
  );
  node.child = child;
  node.exited = new Promise((resolve) => child.once('exit', () => resolve()));
  await until(`node ${node.port} did not answer`, async () => (await cli(node.port, 'ping')).trim() === 'PONG');
}

/** True when every node reports the whole slot space assigned and the state ok. */
async function clusterOk(nodes: ClusterNodeProcess[]): Promise<boolean> {
  for (const n of nodes) {
    const info = await cli(n.port, 'cluster', 'info');
    if (!info.includes('cluster_state:ok') || !info.includes('cluster_slots_ok:16384')) {
      return false;
    }
  }
  return true;
}

/**
 * Starts a cluster of masters on free ports.
 * @param options - `masters` (default 3, at least 3: `redis-cli --cluster create` wants three)
 * @returns the running cluster
 */
export async function startRedisCluster(options: { masters?: number } = {}): Promise<LocalRedisCluster> {
  const count = Math.max(3, options.masters ?? 3);
  const root = mkdtempSync(join(tmpdir(), 'kap-redis-cluster-'));
  const taken = new Set<number>();
  const nodes: ClusterNodeProcess[] = [];
  for (let i = 0; i < count; i++) {
    const ports = await freePorts(taken);
    nodes.push({ ...ports, dir: join(root, String(ports.port)) });
  }
  const killAll = (): void => {
    for (const n of nodes) {
      n.child?.kill('SIGKILL');
    }
  };
  process.once('exit', killAll);
  const stop = async (): Promise<void> => {
    process.removeListener('exit', killAll);
    killAll();
    await Promise.all(nodes.map((n) => n.exited));
    rmSync(root, { recursive: true, force: true });
  };
  try {
    await Promise.all(nodes.map(startNode));
    await run('redis-cli', ['--cluster', 'create', ...nodes.map((n) => `127.0.0.1:${n.port}`), '--cluster-replicas', '0', '--cluster-yes'], {
      timeout: READY_TIMEOUT_MS,
    });
    await until('the cluster was not ok', () => clusterOk(nodes));
  } catch (err) {
    await stop();
    throw err;
  }

  return {
    nodes: nodes.map((n) => ({ host: '127.0.0.1', port: n.port })),
    nodesEnv: nodes.map((n) => `127.0.0.1:${n.port}`).join(','),

    async masterPortForKey(key) {
      const any = new Redis({ host: '127.0.0.1', port: nodes[0].port, lazyConnect: true });
      try {
        await any.connect();
        const slot = Number(await any.call('CLUSTER', 'KEYSLOT', key));
        const ranges = (await any.call('CLUSTER', 'SLOTS')) as [number, number, [string, number, ...unknown[]], ...unknown[]][];
        const range = ranges.find(([from, to]) => slot >= from && slot <= to);
        if (!range) {
          throw new Error(`redis cluster: slot ${slot} has no master`);
        }
        return Number(range[2][1]);
      } finally {
        any.disconnect();
      }
    },

    async restartMaster(port, how = 'kill') {
      const node = nodes.find((n) => n.port === port);
      if (!node?.child) {
        throw new Error(`redis cluster: no node on port ${port}`);
      }
      if (how === 'kill') {
        node.child.kill('SIGKILL');
      } else {
        await cli(port, 'shutdown').catch(() => undefined); // the connection closes as the server exits
      }
      await node.exited;
      await startNode(node);
      await until('the cluster did not heal', () => clusterOk(nodes));
    },

    stop,
  };
}
