import { eraseAspirant, eraseAspirantInput, exportAspirantData, exportAspirantDataInput } from '../../domain/aspirantData.ts';
import { parseInput } from '../../domain/validation.ts';
import type { Routes } from '../route.ts';

export const aspirantDataRoutes: Routes = {
  // AWSJSON travels as a JSON string.
  'Query.exportAspirantData': async ({ args, caller, services }) =>
    JSON.stringify(await exportAspirantData(services, caller, parseInput(exportAspirantDataInput, args).aspirantId)),
  'Mutation.eraseAspirant': async ({ args, caller, services }) => eraseAspirant(services, caller, parseInput(eraseAspirantInput, args)),
};
