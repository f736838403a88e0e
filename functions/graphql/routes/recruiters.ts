import { listRecruiters } from '../../domain/recruiters.ts';
import type { Routes } from '../route.ts';

export const recruiterRoutes: Routes = {
  'Query.me': async ({ caller }) => caller.recruiter,
  'Query.recruiters': async ({ services }) => listRecruiters(services.db),
};
