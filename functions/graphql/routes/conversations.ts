import { z } from 'zod';
import { markConversationRead } from '../../domain/conversationActions.ts';
import { getConversation, inbox } from '../../domain/conversations.ts';
import { pipelineStatusSchema } from '../../domain/pipeline.ts';
import { parseInput } from '../../domain/validation.ts';
import type { Routes } from '../route.ts';
import { conversationIncludes } from '../selection.ts';

const inboxArgs = z.object({
  filter: z
    .object({
      assignee: z.enum(['MINE', 'UNASSIGNED', 'ALL']).nullish(),
      statuses: z.array(pipelineStatusSchema).nullish(),
      window: z.enum(['OPEN', 'CLOSING', 'CLOSED']).nullish(),
      optedOut: z.boolean().nullish(),
      search: z.string().nullish(),
    })
    .nullish(),
  sort: z.enum(['LAST_ACTIVITY', 'WINDOW_EXPIRY']).nullish(),
  first: z.number().int().nullish(),
  after: z.string().nullish(),
});
const conversationArgs = z.object({ id: z.guid() });
const markReadArgs = z.object({ conversationId: z.guid() });

export const conversationRoutes: Routes = {
  'Query.inbox': async ({ args, caller, services, selection }) =>
    inbox(services, caller, parseInput(inboxArgs, args), conversationIncludes(selection.at('nodes'))),
  'Query.conversation': async ({ args, caller, services, selection }) =>
    getConversation(services, caller, parseInput(conversationArgs, args).id, conversationIncludes(selection)),
  'Mutation.markConversationRead': async ({ args, caller, services, selection }) =>
    markConversationRead(services, caller, parseInput(markReadArgs, args).conversationId, conversationIncludes(selection)),
};
