import { useQuery } from '@apollo/client/react';
import { useEffect, useState } from 'react';
import { errorMessage } from '../../../components/ErrorNotice.tsx';
import { botStateLabels } from '../../../lib/labels.ts';
import { BOT_STATUS, useHandBack, useTakeOver } from '../api/bot.ts';

/** A hand-back shows as pending until the conversation's event says the bot runs again, or this long. */
const HAND_BACK_PENDING_MS = 15_000;

/**
 * Who is talking to the aspirant: the bot (and where its flow stands) or a recruiter, with the switch
 * between them. A recruiter's message pauses the bot too.
 */
export function BotBanner({ conversationId }: { readonly conversationId: string }) {
  const { data } = useQuery(BOT_STATUS, { variables: { id: conversationId } });
  const takeOver = useTakeOver();
  const handBack = useHandBack();
  const [handingBack, setHandingBack] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const conversation = data?.conversation;

  useEffect(() => {
    if (!handingBack) return;
    if (conversation && !conversation.botPaused) {
      setHandingBack(false);
      return;
    }
    const timer = setTimeout(() => setHandingBack(false), HAND_BACK_PENDING_MS);
    return () => clearTimeout(timer);
  }, [handingBack, conversation]);

  if (!conversation || conversation.botState === 'NOT_STARTED') return null;
  const run = async (action: () => Promise<void>) => {
    setProblem(null);
    try {
      await action();
    } catch (failure) {
      setProblem(errorMessage(failure));
      setHandingBack(false);
    }
  };
  const flowOpen = conversation.botState !== 'COMPLETED';
  const takeOverButton = (
    <button type="button" className="button button--small" onClick={() => void run(() => takeOver(conversationId))}>
      Take over
    </button>
  );

  let text: string;
  let tone = '';
  let action = null;
  if (conversation.needsRecruiter) {
    text = 'The bot handed this conversation to a recruiter.';
    tone = ' bot-banner--handoff';
    action = takeOverButton;
  } else if (conversation.botPaused) {
    text = handingBack ? 'Handing back to the bot…' : 'Bot paused: a recruiter is handling this conversation.';
    tone = ' bot-banner--paused';
    action = flowOpen && (
      <button
        type="button"
        className="button button--small"
        disabled={handingBack}
        onClick={() => {
          setHandingBack(true);
          void run(() => handBack(conversationId));
        }}
      >
        Hand back to the bot
      </button>
    );
  } else if (flowOpen) {
    text = `The bot is handling this conversation (${botStateLabels[conversation.botState]}).`;
    action = takeOverButton;
  } else {
    return null;
  }
  return (
    <div className={`bot-banner${tone}`} role="status">
      <span>{text}</span>
      {action}
      {problem && <span className="bot-banner__problem">{problem}</span>}
    </div>
  );
}
