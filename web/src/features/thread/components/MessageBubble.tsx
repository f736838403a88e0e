import { gql, type TypedDocumentNode } from '@apollo/client';
import { memo } from 'react';
import { SafeText } from '../../../components/SafeText.tsx';
import type { ThreadMessageFragment } from '../../../generated/operations.ts';
import { clockTime, fullDateTime } from '../../../lib/time.ts';
import { BotTrace } from './BotTrace.tsx';
import { DeliveryTicks } from './DeliveryTicks.tsx';
import { MessageMedia } from './MessageMedia.tsx';

export const THREAD_MESSAGE: TypedDocumentNode<ThreadMessageFragment> = gql`
  fragment ThreadMessage on Message {
    id
    conversationId
    direction
    authorKind
    author {
      id
      name
    }
    body
    media {
      id
      kind
      status
      contentType
      fileName
      sizeBytes
      url
      thumbnailUrl
      durationSeconds
      rejectionReason
    }
    status
    statusHistory {
      status
      errorCode
      errorMessage
      receivedAt
    }
    failureCode
    failureReason
    occurredAt
    botTrace {
      id
      agent
      intent
      confidence
      latencyMs
      summary
      createdAt
    }
  }
`;

/** Messages that exist only on this screen until the server confirms them. */
export const OPTIMISTIC_PREFIX = 'optimistic-';

const authorLabel = (message: ThreadMessageFragment, aspirantName: string): string =>
  message.authorKind === 'ASPIRANT' ? aspirantName : message.authorKind === 'BOT' ? 'Bot' : (message.author?.name ?? 'Recruiter');

/** One message: the aspirant's on the left, ours (bot and recruiters, styled apart) on the right. */
export const MessageBubble = memo(function MessageBubble({ message, aspirantName }: { readonly message: ThreadMessageFragment; readonly aspirantName: string }) {
  const author = authorLabel(message, aspirantName);
  const pending = message.id.startsWith(OPTIMISTIC_PREFIX);
  return (
    <article
      className={`message message--${message.authorKind.toLowerCase()}${pending ? ' message--pending' : ''}`}
      aria-label={`${author} at ${clockTime(message.occurredAt)}`}
      data-message-id={message.id}
    >
      {message.authorKind !== 'ASPIRANT' && <div className="message__author">{author}</div>}
      {message.media.length > 0 && <MessageMedia media={message.media} />}
      {message.body && <SafeText className="message__body" text={message.body} />}
      <div className="message__meta">
        <time dateTime={message.occurredAt} title={fullDateTime(message.occurredAt)}>
          {clockTime(message.occurredAt)}
        </time>
        {message.direction === 'OUTBOUND' && <DeliveryTicks message={message} pending={pending} />}
      </div>
      {(message.status === 'FAILED' || message.status === 'UNDELIVERED') && (
        <div className="message__failure" role="note">
          Not delivered{message.failureReason ? `: ${message.failureReason}` : ''}
          {message.failureCode ? ` (code ${message.failureCode})` : ''}
        </div>
      )}
      {message.botTrace.length > 0 && <BotTrace entries={message.botTrace} />}
    </article>
  );
});
