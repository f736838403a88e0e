/**
 * aws-appsync-subscription-link 4 encodes AppSync's `header-…` subprotocol with Node's Buffer
 * (`Buffer.from(json).toString('base64')`), which browsers lack. This is that much of Buffer: `from` gives
 * bytes (a Uint8Array, which is also what @aws-crypto's helpers expect when they find a Buffer) that print
 * as base64, hex or UTF-8 text. Installed only where no Buffer exists.
 */
type Encoding = 'utf8' | 'utf-8' | 'base64' | 'hex';

function bytesOf(value: string | ArrayLike<number> | ArrayBufferLike): Uint8Array {
  if (typeof value === 'string') return new TextEncoder().encode(value);
  return value instanceof ArrayBuffer || value instanceof SharedArrayBuffer ? new Uint8Array(value) : Uint8Array.from(value as ArrayLike<number>);
}

function printable(bytes: Uint8Array): Uint8Array {
  return Object.assign(bytes, {
    toString(encoding: Encoding = 'utf8'): string {
      if (encoding === 'base64') return btoa(Array.from(bytes, (byte) => String.fromCharCode(byte)).join(''));
      if (encoding === 'hex') return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
      return new TextDecoder().decode(bytes);
    },
  });
}

const scope = globalThis as { Buffer?: unknown };
scope.Buffer ??= { from: (value: string | ArrayLike<number> | ArrayBufferLike) => printable(bytesOf(value)) };
