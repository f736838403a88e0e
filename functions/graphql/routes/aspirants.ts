import { z } from 'zod';
import {
  addAspirantNote,
  addAspirantNoteInput,
  assignAspirant,
  assignAspirantInput,
  setAspirantTags,
  setAspirantTagsInput,
  updateAspirantStatus,
  updateAspirantStatusInput,
} from '../../domain/aspirantActions.ts';
import { getAspirant, searchAspirants } from '../../domain/aspirants.ts';
import { parseInput } from '../../domain/validation.ts';
import type { Routes } from '../route.ts';
import { aspirantIncludes } from '../selection.ts';

const aspirantArgs = z.object({ id: z.guid() });
const searchArgs = z.object({ query: z.string(), first: z.number().int().nullish(), after: z.string().nullish() });

export const aspirantRoutes: Routes = {
  'Query.aspirant': async ({ args, caller, services, selection }) =>
    getAspirant(services, caller, parseInput(aspirantArgs, args).id, aspirantIncludes(selection)),
  'Query.searchAspirants': async ({ args, caller, services, selection }) =>
    searchAspirants(services, caller, parseInput(searchArgs, args), aspirantIncludes(selection.at('nodes'))),
  'Mutation.assignAspirant': async ({ args, caller, services, selection }) =>
    assignAspirant(services, caller, parseInput(assignAspirantInput, args), aspirantIncludes(selection)),
  'Mutation.updateAspirantStatus': async ({ args, caller, services, selection }) =>
    updateAspirantStatus(services, caller, parseInput(updateAspirantStatusInput, args), aspirantIncludes(selection)),
  'Mutation.setAspirantTags': async ({ args, caller, services, selection }) =>
    setAspirantTags(services, caller, parseInput(setAspirantTagsInput, args), aspirantIncludes(selection)),
  'Mutation.addAspirantNote': async ({ args, caller, services }) =>
    addAspirantNote(services, caller, parseInput(addAspirantNoteInput, args)),
};
