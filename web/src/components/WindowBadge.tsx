import { useNow } from '../lib/useNow.ts';
import { windowCountdown } from '../lib/time.ts';

/** The 24-hour window as a live countdown: green while open, amber in its last two hours, grey once closed. */
export function WindowBadge({ windowExpiresAt, granularityMs = 60_000 }: { readonly windowExpiresAt: string | null; readonly granularityMs?: number }) {
  const now = useNow(granularityMs);
  const countdown = windowCountdown(windowExpiresAt, now);
  return (
    <span className={`window window--${countdown.phase.toLowerCase()}`} title={countdown.description} aria-label={countdown.description}>
      <span aria-hidden="true">{countdown.phase === 'CLOSED' ? 'Window closed' : `${countdown.label} left`}</span>
    </span>
  );
}
