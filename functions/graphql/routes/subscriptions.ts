import { z } from 'zod';
import { authorizeAspirantSubscription, authorizeConversationSubscription } from '../../domain/subscriptions.ts';
import { parseInput } from '../../domain/validation.ts';
import type { Routes } from '../route.ts';

/**
 * Invoked by resolvers/code/subscribeWithinScope.ts when a subscription starts: null lets it start, an
 * Unauthorized (or NotFound) error refuses it.
 */
const messageEventArgs = z.object({ conversationId: z.guid() });
const aspirantEventArgs = z.object({ aspirantId: z.guid().nullish() });

export const subscriptionRoutes: Routes = {
  'Subscription.onMessageEvent': async ({ args, caller, services }) => {
    await authorizeConversationSubscription(services, caller, parseInput(messageEventArgs, args).conversationId);
    return null;
  },
  'Subscription.onAspirantEvent': async ({ args, caller, services }) => {
    await authorizeAspirantSubscription(services, caller, parseInput(aspirantEventArgs, args).aspirantId ?? null);
    return null;
  },
};
