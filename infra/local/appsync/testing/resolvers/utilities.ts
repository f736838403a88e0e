import { util } from '@aws-appsync/utils';
import type { Context, NONERequest } from '@aws-appsync/utils';

/** Fixture: reports what the util helpers return. */
export function request(): NONERequest {
  return {
    payload: {
      id: util.autoId(),
      nowIso: util.time.nowISO8601(),
      seconds: util.time.nowEpochSeconds(),
      millis: util.time.nowEpochMilliSeconds(),
    },
  };
}

export function response(ctx: Context): unknown {
  return ctx.result;
}
