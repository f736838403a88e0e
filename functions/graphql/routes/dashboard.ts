import { z } from 'zod';
import { dashboard, dashboardRangeInput } from '../../domain/dashboard.ts';
import { parseInput } from '../../domain/validation.ts';
import type { Routes } from '../route.ts';

const dashboardArgs = z.object({ range: dashboardRangeInput });

/** Recruiters and admins alike: the domain narrows the figures to what the caller may see. */
export const dashboardRoutes: Routes = {
  'Query.dashboard': async ({ args, caller, services }) => dashboard(services, caller, parseInput(dashboardArgs, args).range),
};
