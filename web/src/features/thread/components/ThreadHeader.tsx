import { StatusChip } from '../../../components/StatusChip.tsx';
import { WindowBadge } from '../../../components/WindowBadge.tsx';
import type { ThreadConversationQuery } from '../../../generated/operations.ts';

type ThreadConversation = NonNullable<ThreadConversationQuery['conversation']>;

export function ThreadHeader({ conversation, onShowDetails }: { readonly conversation: ThreadConversation; readonly onShowDetails?: () => void }) {
  const { aspirant } = conversation;
  return (
    <header className="thread__header">
      <div className="thread__title">
        <h2>{aspirant.displayName}</h2>
        <span className="thread__phone">{aspirant.phone}</span>
      </div>
      <div className="thread__badges">
        <StatusChip status={aspirant.status} />
        <WindowBadge windowExpiresAt={conversation.windowExpiresAt} granularityMs={1000} />
        {aspirant.optedOut && <span className="flag">Opted out</span>}
        {onShowDetails && (
          <button type="button" className="button button--small thread__details-toggle" onClick={onShowDetails}>
            Aspirant details
          </button>
        )}
      </div>
    </header>
  );
}
