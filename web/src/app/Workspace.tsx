import { useQuery } from '@apollo/client/react';
import { useCallback, useMemo, useState } from 'react';
import { AspirantPanel } from '../features/aspirant/index.ts';
import { BotBanner } from '../features/bot/index.ts';
import { Composer } from '../features/composer/index.ts';
import { Inbox } from '../features/inbox/index.ts';
import { PhotoGallery } from '../features/photos/index.ts';
import { alertIncoming } from '../features/settings/index.ts';
import { Thread, useComposerAction, useSendMessage, useSendTemplate } from '../features/thread/index.ts';
import type { InboxConversationFragment, MeQuery } from '../generated/operations.ts';
import { navigate } from '../lib/router.ts';
import { OPEN_CONVERSATION } from './api.ts';
import { conversationPath } from './routes.ts';
import { useAspirantErasures } from './useAspirantErasures.ts';

type Me = MeQuery['me'];

/** Inbox, the open conversation with its composer, and the aspirant beside it. */
export function Workspace({ me, conversationId }: { readonly me: Me; readonly conversationId: string | null }) {
  const viewer = useMemo(() => ({ id: me.id, isAdmin: me.role === 'ADMIN' }), [me.id, me.role]);
  const author = useMemo(() => ({ id: me.id, name: me.name }), [me.id, me.name]);
  const sendText = useSendMessage(author);
  const sendTemplate = useSendTemplate(author);
  const sendReady = useComposerAction();
  const open = useQuery(OPEN_CONVERSATION, { variables: { id: conversationId ?? '' }, skip: conversationId === null });
  const aspirantId = conversationId === null ? null : (open.data?.conversation?.aspirant.id ?? null);
  const [detailsOpen, setDetailsOpen] = useState(false);
  useAspirantErasures({ conversationId, aspirantId });

  const onOpen = useCallback((id: string) => navigate(conversationPath(id)), []);
  const onInboundMessage = useCallback(
    (conversation: InboxConversationFragment) =>
      alertIncoming({
        conversationId: conversation.id,
        title: `New message from ${conversation.aspirant.displayName}`,
        body: conversation.lastMessage?.direction === 'INBOUND' ? (conversation.lastMessage.body ?? 'New message') : 'New message',
        onOpen: () => navigate(conversationPath(conversation.id)),
      }),
    [],
  );

  return (
    <div className={`workspace${conversationId ? ' workspace--open' : ''}${detailsOpen ? ' workspace--details' : ''}`}>
      <div className="workspace__inbox">
        <Inbox viewer={viewer} selectedId={conversationId} onOpen={onOpen} onInboundMessage={onInboundMessage} />
      </div>
      {conversationId === null ? (
        <div className="workspace__empty">
          <p>Select a conversation, or move through the inbox with the arrow keys and open one with Enter.</p>
        </div>
      ) : (
        <div className="workspace__conversation">
          <button type="button" className="button button--link workspace__back" onClick={() => navigate('/')}>
            ← Inbox
          </button>
          <Thread
            key={conversationId}
            conversationId={conversationId}
            banner={<BotBanner conversationId={conversationId} />}
            onShowDetails={() => setDetailsOpen((shown) => !shown)}
          />
          <Composer
            key={conversationId}
            conversationId={conversationId}
            ownerId={me.id}
            sendText={sendText}
            sendTemplate={sendTemplate}
            sendReady={sendReady}
          />
        </div>
      )}
      {aspirantId !== null && (
        <aside className="workspace__panel" aria-label="Aspirant details">
          <button type="button" className="button button--link workspace__close-details" onClick={() => setDetailsOpen(false)}>
            Close details
          </button>
          <AspirantPanel key={aspirantId} aspirantId={aspirantId} viewer={viewer} onErased={() => navigate('/')} />
          <PhotoGallery key={`photos-${aspirantId}`} aspirantId={aspirantId} />
        </aside>
      )}
    </div>
  );
}
