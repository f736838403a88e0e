/**
 * Probes that run inside the console page (passed to addInitScript / page.evaluate, which send their source
 * text: each must be self-contained). Times are Date.now() in the page, the same clock the benchmark reads in
 * Node on the same machine.
 */

/**
 * Init script for every page a benchmark evaluates functions in: tsx compiles with esbuild's keepNames, so
 * those functions call a `__name` helper that exists in Node's module scope only.
 */
export const KEEP_NAMES_HELPER = 'globalThis.__name = (target) => target;';

/** When one awaited message body reached the page, and when it was in the open thread's DOM. */
export interface ArrivalTimes {
  /** The real-time WebSocket frame carrying the body was dispatched to the page's scripts. */
  readonly socketAt: number | null;
  /** A DOM mutation put the body into the open thread (the "Messages" region). */
  readonly domAt: number;
  /** The next animation frame after that: the frame that paints it starts. */
  readonly frameAt: number;
}

interface Awaited {
  socketAt: number | null;
  domAt: number | null;
  arrived: Promise<ArrivalTimes>;
  resolve(times: ArrivalTimes): void;
}

interface ProbeScope {
  __threadProbe?: { readonly awaited: Map<string, Awaited> };
  WebSocket: new (url: string, protocols?: string | string[]) => { addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void };
  MutationObserver: new (callback: () => void) => { observe(target: unknown, options: Record<string, boolean>): void };
  requestAnimationFrame(callback: () => void): void;
  document: { querySelector(selector: string): { readonly textContent: string | null } | null };
}

/**
 * Init script, before the console's own scripts: every WebSocket's incoming frames and every DOM change are
 * checked for the bodies the benchmark awaits (only while some are awaited, so it costs nothing otherwise).
 */
export function installThreadProbe(): void {
  const scope = globalThis as unknown as ProbeScope;
  const awaited = new Map<string, Awaited>();
  scope.__threadProbe = { awaited };

  const NativeWebSocket = scope.WebSocket;
  scope.WebSocket = class extends NativeWebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols);
      // Registered before the client's own handler, so this runs first for every frame.
      this.addEventListener('message', (event) => {
        if (awaited.size === 0 || typeof event.data !== 'string') return;
        const at = Date.now();
        for (const [text, entry] of awaited) if (entry.socketAt === null && event.data.includes(text)) entry.socketAt = at;
      });
    }
  };

  const checkThread = () => {
    if (awaited.size === 0) return;
    const thread = scope.document.querySelector('[role="region"][aria-label="Messages"]')?.textContent ?? '';
    const at = Date.now();
    for (const [text, entry] of awaited) {
      if (entry.domAt !== null || !thread.includes(text)) continue;
      entry.domAt = at;
      const domAt = at;
      scope.requestAnimationFrame(() => entry.resolve({ socketAt: entry.socketAt, domAt, frameAt: Date.now() }));
    }
  };
  new scope.MutationObserver(checkThread).observe(scope.document, { subtree: true, childList: true, characterData: true });
}

/** Starts awaiting `text` in the open thread (call before the webhook that carries it is posted). */
export function awaitInThread(text: string): void {
  const probe = (globalThis as unknown as ProbeScope).__threadProbe!;
  let resolve!: (times: ArrivalTimes) => void;
  const arrived = new Promise<ArrivalTimes>((settle) => (resolve = settle));
  probe.awaited.set(text, { socketAt: null, domAt: null, arrived, resolve });
}

/** Resolves when `text` awaited with awaitInThread has been rendered, or with null after `timeoutMs`; then stops awaiting it. */
export async function arrivalInThread([text, timeoutMs]: readonly [string, number]): Promise<ArrivalTimes | null> {
  const { awaited } = (globalThis as unknown as ProbeScope).__threadProbe!;
  const entry = awaited.get(text);
  if (!entry) return null;
  const times = await Promise.race([entry.arrived, new Promise<null>((resolve) => setTimeout(() => resolve(null), timeoutMs))]);
  awaited.delete(text);
  return times;
}

/** Every script and stylesheet of the build the page has requested so far, by path, in request order. */
export function loadedAssets(): string[] {
  const scope = globalThis as unknown as { performance: { getEntriesByType(type: 'resource'): { readonly name: string }[] } };
  const paths = scope.performance.getEntriesByType('resource').map((entry) => new URL(entry.name).pathname);
  return [...new Set(paths.filter((path) => path.startsWith('/assets/') && /\.(js|css)$/.test(path)))];
}
