import { useDrafts } from './stores/drafts.ts';
import { useOutbox } from './stores/outbox.ts';

export { Composer, type ComposerProps } from './components/Composer.tsx';

/** What a recruiter left unsent, for the warning before signing out. */
export function unsentCount(ownerId: string): number {
  const drafts = Object.keys(useDrafts.getState().drafts).filter((key) => key.startsWith(`${ownerId}:`)).length;
  const failed = Object.values(useOutbox.getState().entries).filter((entry) => entry.ownerId === ownerId).length;
  return drafts + failed;
}

/** Signing out on purpose on a shared computer leaves none of the recruiter's unsent text behind. */
export function forgetUnsent(ownerId: string): void {
  useDrafts.getState().forgetOwner(ownerId);
  useOutbox.getState().forgetOwner(ownerId);
}
