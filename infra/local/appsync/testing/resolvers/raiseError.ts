import { util } from '@aws-appsync/utils';
import type { NONERequest } from '@aws-appsync/utils';

/** Fixture: aborts with util.error, passing data and errorInfo. */
export function request(): NONERequest {
  return { payload: null };
}

export function response(): unknown {
  return util.error('Room is full', 'Conflict', { value: 'full' }, { capacity: 4 });
}
