import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { cpuTimeMs, processMemory, servingProcessId } from './processes.ts';

/** A launcher that passes `script` on to a child node process, as npx and tsx pass infra/local/start.ts on. */
const SCRIPT = 'bench-fixture/serve.ts';
const launchers: ChildProcess[] = [];

function launchTwoLevels(): ChildProcess {
  const child = `setInterval(() => {}, 1000); process.stdout.write(String(process.pid));`;
  const parent = `const c = require('node:child_process').spawn(process.execPath, ['-e', ${JSON.stringify(child)}, ${JSON.stringify(SCRIPT)}], { stdio: 'inherit' }); setInterval(() => {}, 1000);`;
  const launcher = spawn(process.execPath, ['-e', parent, SCRIPT], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
  launchers.push(launcher);
  return launcher;
}

afterEach(() => {
  for (const launcher of launchers.splice(0)) {
    try {
      process.kill(-launcher.pid!, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
});

describe.skipIf(process.platform !== 'linux')('processes read from /proc', () => {
  it('finds the innermost process running the script in the group, with its memory and CPU time', async () => {
    const launcher = launchTwoLevels();
    const innerPid = await new Promise<number>((resolve) => launcher.stdout!.once('data', (chunk: Buffer) => resolve(Number(chunk.toString()))));

    const pid = await servingProcessId(launcher.pid!, SCRIPT);

    expect(pid).toBe(innerPid);
    const memory = await processMemory(pid);
    expect(memory.rssMiB).toBeGreaterThan(5);
    expect(memory.peakRssMiB).toBeGreaterThanOrEqual(memory.rssMiB);
    expect(await cpuTimeMs(pid)).toBeGreaterThan(0);
  });

  it('refuses a group where no process runs the script', async () => {
    const launcher = launchTwoLevels();
    await new Promise((resolve) => launcher.stdout!.once('data', resolve));
    await expect(servingProcessId(launcher.pid!, 'not/running.ts')).rejects.toThrow(/found none/);
  });
});
