import { useMutation } from '@apollo/client/react';
import { useEffect, useState } from 'react';
import { MARK_CONVERSATION_READ } from '../api/thread.ts';

const useTabVisible = (): boolean => {
  const [visible, setVisible] = useState(() => document.visibilityState === 'visible');
  useEffect(() => {
    const update = () => setVisible(document.visibilityState === 'visible');
    document.addEventListener('visibilitychange', update);
    return () => document.removeEventListener('visibilitychange', update);
  }, []);
  return visible;
};

/** While the recruiter is looking at a conversation, what arrives in it counts as read. */
export function useMarkRead(conversationId: string, unreadCount: number | null | undefined): void {
  const [markRead] = useMutation(MARK_CONVERSATION_READ);
  const visible = useTabVisible();
  useEffect(() => {
    if (!visible || !unreadCount) return;
    const timer = setTimeout(() => void markRead({ variables: { conversationId } }).catch(() => undefined), 400);
    return () => clearTimeout(timer);
  }, [conversationId, unreadCount, visible, markRead]);
}
