import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/**
 * The local host as a child process, started the way a person starts it (`npx tsx infra/local/start.ts`), for
 * tests that crash it. It runs in a process group of its own: npx and tsx each start another process, and a
 * SIGKILL must reach the node process that actually serves.
 */
export interface HostProcessOptions {
  /** The host's whole environment (PORT included). */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly port: number;
  readonly readyTimeoutMs?: number;
}

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A loopback port free right now, for a host whose PUBLIC_URL must name its port before it starts. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
const OUTPUT_KEPT_CHARS = 4_000;

export class HostProcess {
  private child: ChildProcess | undefined;
  private output = '';

  constructor(private readonly options: HostProcessOptions) {}

  get url(): string {
    return `http://127.0.0.1:${this.options.port}`;
  }

  /** The id of the process group the host runs in (npx, tsx and the serving node process), while it runs. */
  get processGroupId(): number | undefined {
    return this.child?.pid;
  }

  /** Starts the host and resolves once GET /healthz answers 200. */
  async start(): Promise<void> {
    if (this.child) throw new Error('the host is already running');
    const child = spawn('npx', ['tsx', 'infra/local/start.ts'], { cwd: REPO_ROOT, env: this.options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString('utf8')).slice(-OUTPUT_KEPT_CHARS);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const exited = once(child, 'exit');
    const deadline = Date.now() + (this.options.readyTimeoutMs ?? 30_000);
    while (!(await this.healthy())) {
      const gone = child.exitCode !== null || child.signalCode !== null;
      if (gone || Date.now() > deadline) {
        if (!gone) await this.kill();
        else this.child = undefined;
        throw new Error(`the host did not become ready${gone ? ' (it exited)' : ''}; its last output:\n${this.output}`);
      }
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 50))]);
    }
  }

  /** SIGKILL to the whole process group: no shutdown code runs, as in a crash or an OOM kill. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL');
    // A survivor would go on serving and make a restart look like a recovery.
    if (await this.healthy()) throw new Error('the host still answers after SIGKILL');
  }

  /** SIGTERM, the orderly stop; SIGKILL if it has not stopped within `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    const child = this.child;
    if (!child) return;
    const timer = setTimeout(() => this.signalGroup(child, 'SIGKILL'), graceMs);
    try {
      await this.signal('SIGTERM');
    } finally {
      clearTimeout(timer);
    }
  }

  /** The host's latest output, for diagnosing a failure. */
  recentOutput(): string {
    return this.output;
  }

  private async signal(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child) return;
    const exited = child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : once(child, 'exit');
    this.signalGroup(child, signal);
    await exited;
    this.child = undefined;
  }

  private signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // The group is already gone.
    }
  }

  private async healthy(): Promise<boolean> {
    try {
      const response = await fetch(`${this.url}/healthz`, { signal: AbortSignal.timeout(1_000) });
      await response.arrayBuffer();
      return response.status === 200;
    } catch {
      return false;
    }
  }
}
