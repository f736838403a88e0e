import { z } from 'zod';
import { sendMessage, sendMessageInput } from '../../domain/conversationActions.ts';
import { thread } from '../../domain/conversations.ts';
import { parseInput } from '../../domain/validation.ts';
import type { Routes } from '../route.ts';
import { messageIncludes } from '../selection.ts';

const threadArgs = z.object({ conversationId: z.guid(), first: z.number().int().nullish(), before: z.string().nullish() });
const sendArgs = z.object({ input: sendMessageInput });

export const messageRoutes: Routes = {
  'Query.thread': async ({ args, caller, services, selection }) =>
    thread(services, caller, parseInput(threadArgs, args), messageIncludes(selection.at('nodes'))),
  'Mutation.sendMessage': async ({ args, caller, services, selection }) =>
    sendMessage(services, caller, parseInput(sendArgs, args).input, messageIncludes(selection)),
};
