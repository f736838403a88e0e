import { z } from 'zod';
import {
  addKnowledgeDocument,
  addKnowledgeDocumentInput,
  botTexts,
  botTextsArgs,
  deleteKnowledgeDocument,
  handBackConversation,
  knowledgeDocuments,
  recordGuardianConsent,
  takeOverConversation,
  updateBotText,
  updateBotTextInput,
} from '../../domain/botActions.ts';
import { composerActionInput, requestPhotos, sendFormLink } from '../../domain/conversationActions.ts';
import { parseInput } from '../../domain/validation.ts';
import type { Routes } from '../route.ts';
import { aspirantIncludes, conversationIncludes, messageIncludes } from '../selection.ts';

const conversationArgs = z.object({ conversationId: z.guid() });
const aspirantArgs = z.object({ aspirantId: z.guid() });
const idArgs = z.object({ id: z.guid() });

/** The bot in the console: handoff, guardian consent, composer actions; admins edit its texts and knowledge base. */
export const botRoutes: Routes = {
  'Mutation.takeOverConversation': async ({ args, caller, services, selection }) =>
    takeOverConversation(services, caller, parseInput(conversationArgs, args).conversationId, conversationIncludes(selection)),
  'Mutation.handBackConversation': async ({ args, caller, services, selection }) =>
    handBackConversation(services, caller, parseInput(conversationArgs, args).conversationId, conversationIncludes(selection)),
  'Mutation.recordGuardianConsent': async ({ args, caller, services, selection }) =>
    recordGuardianConsent(services, caller, parseInput(aspirantArgs, args).aspirantId, aspirantIncludes(selection)),
  'Mutation.sendFormLink': async ({ args, caller, services, selection }) =>
    sendFormLink(services, caller, parseInput(composerActionInput, args), messageIncludes(selection)),
  'Mutation.requestPhotos': async ({ args, caller, services, selection }) =>
    requestPhotos(services, caller, parseInput(composerActionInput, args), messageIncludes(selection)),
  'Query.botTexts': async ({ args, caller, services }) => botTexts(services, caller, parseInput(botTextsArgs, args)),
  'Mutation.updateBotText': async ({ args, caller, services }) =>
    updateBotText(services, caller, parseInput(z.object({ input: updateBotTextInput }), args).input),
  'Query.knowledgeDocuments': async ({ caller, services }) => knowledgeDocuments(services, caller),
  'Mutation.addKnowledgeDocument': async ({ args, caller, services }) =>
    addKnowledgeDocument(services, caller, parseInput(z.object({ input: addKnowledgeDocumentInput }), args).input),
  'Mutation.deleteKnowledgeDocument': async ({ args, caller, services }) =>
    deleteKnowledgeDocument(services, caller, parseInput(idArgs, args).id),
};
