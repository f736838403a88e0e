import { expect } from 'vitest';
import type { ChannelProvider } from './provider.ts';
import { SendError, type OutboundMessage } from './model.ts';

/** A plain text message to `to`, for the adapters' send tests. */
export const textMessage = (to: string, body = 'Hola Ana'): OutboundMessage => ({ to, content: { kind: 'text', body } });

/** The SendError a send is expected to fail with; fails the test when the send succeeds or throws anything else. */
export async function expectSendError(provider: ChannelProvider, message: OutboundMessage): Promise<SendError> {
  try {
    await provider.send(message);
  } catch (error) {
    expect(error).toBeInstanceOf(SendError);
    return error as SendError;
  }
  throw new Error('expected the send to fail');
}
