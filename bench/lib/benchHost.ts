import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, HostProcess } from '../../infra/local/hostProcess.ts';
import { ensureConsoleBuilt } from '../../web/build.ts';
import { processMemory, servingProcessId, type ProcessMemory } from './processes.ts';

/** What the host's launchers pass on and the serving node process runs. */
const HOST_SCRIPT = 'infra/local/start.ts';

/** The password of the demo agency's users on a benchmarked host (NODE_ENV=production refuses the default). */
export const BENCH_SEED_PASSWORD = 'bench-seed-password';

export interface BenchHost {
  readonly url: string;
  /** The node process that serves (below npx and tsx): whose memory is the host's. */
  readonly pid: number;
  memory(): Promise<ProcessMemory>;
  /** Signs in as a seeded user; answers the ID token. */
  tokenFor(email: string): Promise<string>;
  /** The host's latest output, for a failure's report. */
  recentOutput(): string;
  /** Stops the host (SIGTERM, then SIGKILL) and removes its data directory unless the caller named it. */
  stop(): Promise<void>;
}

/**
 * The local host as `npm start` runs it, in a child process on a free loopback port with a fresh data
 * directory (or `options.dataDir`) and the demo agency seeded, in production mode. `env` adds to (or overrides) that configuration,
 * e.g. DATABASE_URL or TWILIO_*. Only PATH, HOME and BENCH_HOST_NODE_OPTIONS (as NODE_OPTIONS) come from this
 * process's environment, so a variable set in the shell cannot change what is measured by accident.
 */
export async function startBenchHost(env: Readonly<Record<string, string>> = {}, options: { readonly dataDir?: string } = {}): Promise<BenchHost> {
  // Built here, so the host's start-up does not include a console build.
  await ensureConsoleBuilt();
  // A data directory the caller names is the caller's to remove (a restart on the same data); else a fresh one, removed on stop.
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'wasaprecruit-bench-')));
  const removeDataDir = () => (options.dataDir === undefined ? rm(dataDir, { recursive: true, force: true }) : Promise.resolve());
  const port = await freePort();
  const host = new HostProcess({
    port,
    readyTimeoutMs: 120_000,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'production',
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      DATA_DIR: dataDir,
      SEED_PASSWORD: BENCH_SEED_PASSWORD,
      // Extra Node options for the host, e.g. BENCH_HOST_NODE_OPTIONS='--max-old-space-size=512' (Node refuses --cpu-prof here).
      ...(process.env.BENCH_HOST_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_HOST_NODE_OPTIONS } : {}),
      ...env,
    },
  });
  try {
    await host.start();
    const pid = await servingProcessId(host.processGroupId!, HOST_SCRIPT);
    return {
      url: host.url,
      pid,
      memory: () => processMemory(pid),
      async tokenFor(email) {
        const response = await fetch(`${host.url}/auth/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: email, password: BENCH_SEED_PASSWORD }),
        });
        if (response.status !== 200) throw new Error(`sign-in of ${email} failed with ${response.status}`);
        return ((await response.json()) as { idToken: string }).idToken;
      },
      recentOutput: () => host.recentOutput(),
      async stop() {
        await host.stop();
        await removeDataDir();
      },
    };
  } catch (error) {
    await host.stop();
    await removeDataDir();
    throw error;
  }
}

/** Credentials a benchmark gives the host and the local Twilio API alike. */
export interface TwilioAccount {
  readonly accountSid: string;
  readonly authToken: string;
  /** Our WhatsApp sender, E.164. */
  readonly sender: string;
}

/** The host's configuration for WhatsApp through Twilio, with Twilio's API at `apiBaseUrl` (startFakeTwilioApi). */
export function twilioHostEnv(account: TwilioAccount, apiBaseUrl: string): Record<string, string> {
  return {
    TWILIO_ACCOUNT_SID: account.accountSid,
    TWILIO_AUTH_TOKEN: account.authToken,
    TWILIO_WHATSAPP_FROM: account.sender,
    TWILIO_API_BASE_URL: apiBaseUrl,
  };
}

export const settle = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
