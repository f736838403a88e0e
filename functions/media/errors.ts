/**
 * How a media download can fail, as the media job needs to know it: retry later, or give up and mark the
 * attachment rejected with a reason a recruiter can read.
 */

/** Worth retrying: the provider or the network may answer next time (5xx, timeouts, resets, storage hiccups). */
export class TransientMediaError extends Error {
  override readonly name = 'TransientMediaError';
}

/** Retrying cannot help (4xx, a refused host or address, too large, an unacceptable file); `message` is the reason. */
export class PermanentMediaError extends Error {
  override readonly name = 'PermanentMediaError';
}
