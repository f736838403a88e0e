import { gql, type TypedDocumentNode } from '@apollo/client';
import { memo } from 'react';
import { Avatar } from '../../../components/Avatar.tsx';
import { StatusChip } from '../../../components/StatusChip.tsx';
import { WindowBadge } from '../../../components/WindowBadge.tsx';
import type { InboxConversationFragment } from '../../../generated/operations.ts';
import { shortWhen } from '../../../lib/time.ts';
import { useNow } from '../../../lib/useNow.ts';

/** What one inbox row shows, and what live events need to decide which lists a conversation belongs in. */
export const INBOX_CONVERSATION: TypedDocumentNode<InboxConversationFragment> = gql`
  fragment InboxConversation on Conversation {
    id
    lastActivityAt
    inboundCount
    unreadCount
    windowExpiresAt
    windowState
    botState
    botPaused
    needsRecruiter
    aspirant {
      id
      displayName
      fullName
      whatsappName
      phone
      status
      optedOut
      isMinor
      assignee {
        id
        name
      }
    }
    lastMessage {
      id
      direction
      authorKind
      body
      status
      media {
        id
        kind
      }
    }
  }
`;

const mediaLabels: Readonly<Record<string, string>> = {
  IMAGE: 'Photo',
  AUDIO: 'Voice note',
  VIDEO: 'Video',
  DOCUMENT: 'Document',
  STICKER: 'Sticker',
};

export function previewOf(message: InboxConversationFragment['lastMessage']): string {
  if (message === null) return 'No messages yet';
  const who = message.authorKind === 'BOT' ? 'Bot: ' : message.authorKind === 'RECRUITER' ? 'You: ' : '';
  const text = message.body?.trim() || message.media.map((item) => mediaLabels[item.kind] ?? item.kind).join(', ') || '(empty message)';
  return who + text.replace(/\s+/g, ' ');
}

const botActive = (conversation: InboxConversationFragment): boolean =>
  !conversation.botPaused && conversation.botState !== 'COMPLETED' && conversation.botState !== 'NOT_STARTED';

export const ConversationRow = memo(function ConversationRow({
  conversation,
  selected,
  showAssignee,
}: {
  readonly conversation: InboxConversationFragment;
  readonly selected: boolean;
  readonly showAssignee: boolean;
}) {
  const now = useNow();
  const { aspirant } = conversation;
  const unread = conversation.unreadCount ?? 0;
  return (
    <div className={`row${selected ? ' row--selected' : ''}${unread > 0 ? ' row--unread' : ''}`}>
      <Avatar id={aspirant.id} name={aspirant.displayName} />
      <div className="row__body">
        <div className="row__line">
          <span className="row__name">{aspirant.displayName}</span>
          <time className="row__time" dateTime={conversation.lastActivityAt}>
            {shortWhen(conversation.lastActivityAt, now)}
          </time>
        </div>
        <div className="row__line">
          <span className="row__preview">{previewOf(conversation.lastMessage)}</span>
          {unread > 0 && (
            <span className="badge" aria-label={`${unread} unread`}>
              {unread > 99 ? '99+' : unread}
            </span>
          )}
        </div>
        <div className="row__line row__meta">
          <StatusChip status={aspirant.status} />
          <WindowBadge windowExpiresAt={conversation.windowExpiresAt} />
          {conversation.needsRecruiter && <span className="flag flag--alert">Needs you</span>}
          {botActive(conversation) && (
            <span className="flag flag--bot" title="The bot is handling this conversation">
              Bot
            </span>
          )}
          {aspirant.optedOut && <span className="flag">Opted out</span>}
          {aspirant.isMinor && <span className="flag">Minor</span>}
          {showAssignee && <span className="row__assignee">{aspirant.assignee?.name ?? 'Unassigned'}</span>}
        </div>
      </div>
    </div>
  );
});
