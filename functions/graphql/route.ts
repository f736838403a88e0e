import type { Caller } from '../domain/access.ts';
import type { Services } from '../domain/services.ts';
import type { Selection } from './selection.ts';

export interface RouteRequest {
  /** The field's arguments as AppSync passed them: untrusted until parsed. */
  readonly args: Readonly<Record<string, unknown>>;
  readonly caller: Caller;
  readonly services: Services;
  readonly selection: Selection;
}

/** One field's resolver: parse the arguments, call the domain, return the GraphQL shape. */
export type Route = (request: RouteRequest) => Promise<unknown>;

/** Routes keyed by "ParentType.field". */
export type Routes = Readonly<Record<string, Route>>;
