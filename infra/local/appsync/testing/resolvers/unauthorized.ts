import { util } from '@aws-appsync/utils';
import type { NONERequest } from '@aws-appsync/utils';

/** Fixture: refuses every caller. */
export function request(): NONERequest {
  return util.unauthorized();
}

export function response(): unknown {
  return null;
}
