import { readdir, readFile } from 'node:fs/promises';

/**
 * Resident memory and CPU time of processes, read from Linux's /proc. The local host runs as `npx tsx
 * infra/local/start.ts`: npx starts tsx's CLI, which starts the node process that serves, so the figures that
 * matter are that last one's, not the group leader's.
 */

export interface ProcessMemory {
  readonly pid: number;
  /** VmRSS: resident now, MiB. */
  readonly rssMiB: number;
  /** VmHWM: the highest resident size since the process started, MiB. */
  readonly peakRssMiB: number;
}

interface ProcessEntry {
  readonly pid: number;
  readonly parentPid: number;
  readonly groupId: number;
  readonly commandLine: string;
}

/** The fields of /proc/<pid>/stat from the third (state) on: the command name (field 2) may hold spaces and parentheses. */
async function statFields(pid: number): Promise<string[]> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

async function readProcessEntry(pid: number): Promise<ProcessEntry | undefined> {
  try {
    const fields = await statFields(pid);
    const commandLine = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).replaceAll('\0', ' ').trim();
    return { pid, parentPid: Number(fields[1]), groupId: Number(fields[2]), commandLine };
  } catch {
    // The process ended while we looked.
    return undefined;
  }
}

/** Linux's clock ticks per second (USER_HZ), which /proc reports CPU time in: 100 on every mainstream build. */
const CLOCK_TICKS_PER_SECOND = 100;

/** CPU time the process has used so far, user and system, in ms; 0 once it has ended. */
export async function cpuTimeMs(pid: number): Promise<number> {
  try {
    const fields = await statFields(pid);
    // utime and stime are fields 14 and 15 of the whole line.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

async function processesInGroup(groupId: number): Promise<ProcessEntry[]> {
  const pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name)).map(Number);
  const entries = await Promise.all(pids.map(readProcessEntry));
  return entries.filter((entry): entry is ProcessEntry => entry !== undefined && entry.groupId === groupId);
}

/**
 * The pid of the process in group `groupId` that runs `script` and has no child running it too: the node
 * process that does the work, below the launchers that pass the script on.
 */
export async function servingProcessId(groupId: number, script: string): Promise<number> {
  const running = (await processesInGroup(groupId)).filter((entry) => entry.commandLine.includes(script));
  const parents = new Set(running.map((entry) => entry.parentPid));
  const leaves = running.filter((entry) => !parents.has(entry.pid));
  if (leaves.length !== 1) {
    throw new Error(`expected one process running ${script} in group ${groupId}, found ${leaves.map((entry) => `${entry.pid}: ${entry.commandLine}`).join('; ') || 'none'}`);
  }
  return leaves[0]!.pid;
}

const kibToMiB = (kib: number): number => Math.round((kib / 1024) * 10) / 10;

/** The process's current and peak resident size. */
export async function processMemory(pid: number): Promise<ProcessMemory> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const field = (name: string): number => {
    const match = new RegExp(`^${name}:\\s+(\\d+) kB$`, 'm').exec(status);
    if (!match) throw new Error(`/proc/${pid}/status has no ${name}`);
    return Number(match[1]);
  };
  return { pid, rssMiB: kibToMiB(field('VmRSS')), peakRssMiB: kibToMiB(field('VmHWM')) };
}

/** Samples a process's RSS every `intervalMs` until stopped; `stop` answers the highest sample (MiB). */
export function sampleMemory(pid: number, intervalMs = 250): { stop(): Promise<number> } {
  let highest = 0;
  let sampling = Promise.resolve();
  const timer = setInterval(() => {
    sampling = processMemory(pid).then(
      (memory) => void (highest = Math.max(highest, memory.rssMiB)),
      // The process may have exited; the samples so far stand.
      () => undefined,
    );
  }, intervalMs);
  return {
    async stop() {
      clearInterval(timer);
      await sampling;
      return highest;
    },
  };
}
