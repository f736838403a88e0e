import { z } from 'zod';
import { sendTemplate, sendTemplateInput } from '../../domain/conversationActions.ts';
import { parseInput } from '../../domain/validation.ts';
import { listTemplates } from '../../outbound/templates.ts';
import type { Routes } from '../route.ts';
import { messageIncludes } from '../selection.ts';

const templatesArgs = z.object({ language: z.enum(['ES', 'EN', 'PT']).nullish() });
const sendArgs = z.object({ input: sendTemplateInput });

export const templateRoutes: Routes = {
  'Query.messageTemplates': async ({ args, services }) => listTemplates(services.db, parseInput(templatesArgs, args).language),
  'Mutation.sendTemplate': async ({ args, caller, services, selection }) =>
    sendTemplate(services, caller, parseInput(sendArgs, args).input, messageIncludes(selection)),
};
