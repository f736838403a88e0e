import { createRecruiter, createRecruiterArgs, setRecruiterActive, setRecruiterActiveArgs } from '../../domain/recruiterActions.ts';
import { listRecruiters } from '../../domain/recruiters.ts';
import { parseInput } from '../../domain/validation.ts';
import type { Routes } from '../route.ts';

/** The mutations are admin only: the schema's group directive and the domain's own check both refuse everyone else. */
export const recruiterRoutes: Routes = {
  'Query.me': async ({ caller }) => caller.recruiter,
  'Query.recruiters': async ({ services }) => listRecruiters(services.db),
  'Mutation.createRecruiter': async ({ args, caller, services }) => createRecruiter(services, caller, parseInput(createRecruiterArgs, args).input),
  'Mutation.setRecruiterActive': async ({ args, caller, services }) => setRecruiterActive(services, caller, parseInput(setRecruiterActiveArgs, args)),
};
