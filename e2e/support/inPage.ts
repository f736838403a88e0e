/**
 * Probes that run inside the page (passed to page.evaluate, which sends their source text: each must be
 * self-contained). The suite is type-checked as Node code without the DOM library, so the few browser APIs
 * they touch are described here.
 */
interface ProbeElement {
  readonly textContent: string | null;
  querySelector(selector: string): ProbeElement | null;
  getAttribute(name: string): string | null;
}

interface PageScope {
  readonly document: { readonly body: { readonly innerText: string }; querySelectorAll(selector: string): Iterable<ProbeElement> };
  readonly MutationObserver: new (callback: () => void) => { observe(target: unknown, options: Record<string, boolean>): void };
  __seenAt?: Record<string, number>;
  __ticks?: string[];
}

/** Notes the first time (ms since the epoch) `text` shows anywhere in the page. */
export function noteWhenTextShows(text: string): void {
  const scope = globalThis as unknown as PageScope;
  scope.__seenAt ??= {};
  const check = () => {
    if (scope.__seenAt![text] === undefined && scope.document.body.innerText.includes(text)) scope.__seenAt![text] = Date.now();
  };
  new scope.MutationObserver(check).observe(scope.document.body, { subtree: true, childList: true, characterData: true });
  check();
}

export function whenTextShowed(text: string): number | undefined {
  return (globalThis as unknown as PageScope).__seenAt?.[text];
}

/** Records each delivery status the ticks of the message containing `text` show, in order. */
export function recordTicksOf(text: string): void {
  const scope = globalThis as unknown as PageScope;
  const seen: string[] = [];
  scope.__ticks = seen;
  new scope.MutationObserver(() => {
    const bubble = [...scope.document.querySelectorAll('.message')].find((element) => element.textContent?.includes(text));
    const status = bubble?.querySelector('.ticks')?.getAttribute('data-status');
    if (status && seen.at(-1) !== status) seen.push(status);
  }).observe(scope.document.body, { subtree: true, childList: true, attributes: true, characterData: true });
}

export function recordedTicks(): string[] {
  return (globalThis as unknown as PageScope).__ticks ?? [];
}

/** For locator.evaluate on an <img>: loaded and decoded. */
export function imageLoaded(element: unknown): boolean {
  const image = element as { complete: boolean; naturalWidth: number };
  return image.complete && image.naturalWidth > 0;
}

/** What a hostile message body would have set had any of it run. */
export function hostileScriptRan(): unknown {
  return (globalThis as { __owned?: unknown }).__owned;
}

/**
 * Scrolls a list from top to bottom over `durationMs`, one step per animation frame, and reports how long
 * each frame took and the most option rows the DOM held at once.
 */
export function scrollThroughInbox(list: unknown, durationMs: number): Promise<{ frameMs: number[]; maxRows: number }> {
  const element = list as { scrollTop: number; scrollHeight: number; clientHeight: number; querySelectorAll(selector: string): { length: number } };
  const scope = globalThis as unknown as { requestAnimationFrame(callback: (time: number) => void): void };
  return new Promise((resolve) => {
    const frameMs: number[] = [];
    let maxRows = 0;
    let started: number | undefined;
    let previous: number | undefined;
    const step = (time: number) => {
      started ??= time;
      if (previous !== undefined) frameMs.push(time - previous);
      previous = time;
      maxRows = Math.max(maxRows, element.querySelectorAll('[role="option"]').length);
      const progress = Math.min(1, (time - started) / durationMs);
      element.scrollTop = progress * (element.scrollHeight - element.clientHeight);
      if (progress < 1) scope.requestAnimationFrame(step);
      else resolve({ frameMs, maxRows });
    };
    scope.requestAnimationFrame(step);
  });
}

/**
 * Init script: desktop notifications are recorded instead of shown, and the page reports that it does not
 * have the focus (the recruiter is in another window).
 */
export function recordNotifications(): void {
  const scope = globalThis as unknown as { __notifications: { title: string; body: string }[]; Notification: unknown; document: { hasFocus(): boolean } };
  scope.__notifications = [];
  scope.Notification = class {
    static readonly permission = 'granted';
    static requestPermission = async () => 'granted';
    onclick: (() => void) | null = null;
    constructor(title: string, options?: { body?: string }) {
      scope.__notifications.push({ title, body: options?.body ?? '' });
    }
    close(): void {}
  };
  scope.document.hasFocus = () => false;
}

export function recordedNotifications(): { title: string; body: string }[] {
  return (globalThis as unknown as { __notifications?: { title: string; body: string }[] }).__notifications ?? [];
}
