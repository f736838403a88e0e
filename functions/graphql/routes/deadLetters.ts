import { z } from 'zod';
import { deadLetters, retryDeadLetterAsAdmin } from '../../domain/deadLetters.ts';
import { parseInput } from '../../domain/validation.ts';
import type { Routes } from '../route.ts';

const pageArgs = z.object({ first: z.number().int().nullish(), after: z.string().nullish() });
const retryArgs = z.object({ id: z.guid() });

/** Admin only: the schema's group directive and the domain's own check both refuse everyone else. */
export const deadLetterRoutes: Routes = {
  'Query.deadLetters': async ({ args, caller, services }) => deadLetters(services, caller, parseInput(pageArgs, args)),
  'Mutation.retryDeadLetter': async ({ args, caller, services }) => retryDeadLetterAsAdmin(services, caller, parseInput(retryArgs, args).id),
};
