/**
 * A random key for one intended message. crypto.getRandomValues works outside secure contexts too (a tablet
 * reaching the local host by its LAN address), unlike crypto.randomUUID.
 */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `web-${Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}
