import { getDirectiveValues, type GraphQLSchema } from 'graphql';
import { matchesSubscriptionFilter, sameValue, type SubscriptionFilter } from './subscriptionFilters.ts';

/** One started subscription, as fan-out sees it. */
export interface LiveSubscription {
  /** The Subscription field it listens on. */
  readonly fieldName: string;
  /** The field's arguments as the subscriber passed them (coerced). */
  readonly arguments: Readonly<Record<string, unknown>>;
  /** Set by the subscription resolver with `extensions.setSubscriptionFilter`. */
  readonly filter?: SubscriptionFilter;
  /** Set by the subscription resolver with `extensions.setSubscriptionInvalidationFilter`. */
  readonly invalidationFilter?: SubscriptionFilter;
  /** Projects an event onto the subscriber's selection and sends it. */
  readonly deliver: (event: unknown) => Promise<void>;
  /** Ends the subscription because a mutation invalidated it. */
  readonly invalidate: () => void;
}

/** Which Subscription fields each mutation feeds, read from `@aws_subscribe(mutations: [...])`. */
export function subscriptionFieldsByMutation(schema: GraphQLSchema): ReadonlyMap<string, readonly string[]> {
  const directive = schema.getDirective('aws_subscribe');
  const byMutation = new Map<string, string[]>();
  const subscriptionType = schema.getSubscriptionType();
  if (!directive || !subscriptionType) return byMutation;
  const mutationFields = schema.getMutationType()?.getFields() ?? {};
  for (const field of Object.values(subscriptionType.getFields())) {
    if (!field.astNode) continue;
    const mutations = (getDirectiveValues(directive, field.astNode)?.['mutations'] as string[] | undefined) ?? [];
    for (const mutation of mutations) {
      if (mutationFields[mutation] === undefined) throw new Error(`Subscription.${field.name} subscribes to the unknown mutation ${mutation}`);
      byMutation.set(mutation, [...(byMutation.get(mutation) ?? []), field.name]);
    }
  }
  return byMutation;
}

/** AppSync's basic filtering: every argument the subscriber set must equal the event's field of that name. */
function argumentsMatch(subscription: LiveSubscription, event: unknown): boolean {
  const fields = (typeof event === 'object' && event !== null ? event : {}) as Record<string, unknown>;
  return Object.entries(subscription.arguments).every(([name, value]) => value === null || value === undefined || sameValue(fields[name], value));
}

export class SubscriptionRegistry {
  private readonly byField = new Map<string, Set<LiveSubscription>>();

  /** Adds a subscription; the returned function removes it. */
  add(subscription: LiveSubscription): () => void {
    let subscriptions = this.byField.get(subscription.fieldName);
    if (subscriptions === undefined) {
      subscriptions = new Set();
      this.byField.set(subscription.fieldName, subscriptions);
    }
    subscriptions.add(subscription);
    return () => subscriptions.delete(subscription);
  }

  /** The subscriptions on a field that an event reaches: arguments equal, and the enhanced filter passed. */
  reachedBy(fieldName: string, event: unknown): LiveSubscription[] {
    return [...(this.byField.get(fieldName) ?? [])].filter(
      (subscription) => argumentsMatch(subscription, event) && (subscription.filter === undefined || matchesSubscriptionFilter(subscription.filter, event)),
    );
  }

  /** Ends the subscriptions on a field whose invalidation filter matches the payload. */
  invalidate(fieldName: string, payload: unknown): void {
    for (const subscription of this.byField.get(fieldName) ?? []) {
      if (subscription.invalidationFilter !== undefined && matchesSubscriptionFilter(subscription.invalidationFilter, payload)) {
        this.byField.get(fieldName)?.delete(subscription);
        subscription.invalidate();
      }
    }
  }
}
