import type { AppSyncIdentityCognito } from '@aws-appsync/utils';
import type { Conversation, Message } from '../../../../functions/generated/graphql.ts';
import type { EventPublisher } from '../../../../functions/live/publisher.ts';
import { NotFoundError, UnauthorizedError } from '../../../../functions/shared/errors.ts';
import { aConversation, aMessage, conversationEvent, messageEvent } from './liveEvents.ts';

/** The slice of the direct-Lambda event the test handlers read. */
export interface LambdaEvent {
  readonly arguments: Record<string, unknown>;
  readonly identity: AppSyncIdentityCognito;
  readonly info: { readonly fieldName: string; readonly parentTypeName: string };
  readonly [key: string]: unknown;
}

/**
 * A small GraphQL Lambda for the engine's tests: it records every invocation and answers each field with the
 * handler a test installed, as the real handler routes by `info.fieldName`.
 */
export class TestGraphqlLambda {
  readonly invocations: { readonly dataSource: string; readonly event: LambdaEvent }[] = [];
  private readonly routes = new Map<string, (event: LambdaEvent) => unknown>();

  on(fieldName: string, handler: (event: LambdaEvent) => unknown): this {
    this.routes.set(fieldName, handler);
    return this;
  }

  readonly invoke = async (dataSource: string, event: unknown): Promise<unknown> => {
    const lambdaEvent = event as LambdaEvent;
    this.invocations.push({ dataSource, event: lambdaEvent });
    const handler = this.routes.get(lambdaEvent.info.fieldName);
    if (handler === undefined) throw new Error(`the test Lambda has no handler for ${lambdaEvent.info.fieldName}`);
    return handler(lambdaEvent);
  };

  lastEventFor(fieldName: string): LambdaEvent {
    const found = this.invocations.findLast(({ event }) => event.info.fieldName === fieldName);
    if (found === undefined) throw new Error(`the test Lambda was never invoked for ${fieldName}`);
    return found.event;
  }
}

/**
 * Conversations with assignees, enough of the recruiting domain for live events: the subscription check for
 * onMessageEvent (admins see all, recruiters what is theirs or unassigned) and sendMessage, which publishes
 * a message event and a conversation event through the publisher, as the backend does.
 */
export class RecruitingScenario {
  private readonly assignees = new Map<string, string | null>();
  private sent = 0;

  constructor(
    lambda: TestGraphqlLambda,
    private readonly publisher: () => EventPublisher,
  ) {
    lambda.on('onMessageEvent', (event) => this.checkVisible(event.identity, String(event.arguments['conversationId'])));
    lambda.on('sendMessage', (event) => this.sendMessage(event));
  }

  /** Adds a conversation assigned to a recruiter's sub, or unassigned with null. */
  conversation(id: string, assigneeSub: string | null): Conversation {
    this.assignees.set(id, assigneeSub);
    return aConversation({ id });
  }

  private checkVisible(identity: AppSyncIdentityCognito, conversationId: string): null {
    if (!this.assignees.has(conversationId)) throw new NotFoundError(`Conversation ${conversationId} does not exist`);
    const assignee = this.assignees.get(conversationId);
    const isAdmin = (identity.groups ?? []).includes('admin');
    if (!isAdmin && assignee !== null && assignee !== identity.sub) throw new UnauthorizedError(`Conversation ${conversationId} is not yours`);
    return null;
  }

  private async sendMessage(event: LambdaEvent): Promise<Message> {
    const { conversationId, body } = event.arguments['input'] as { conversationId: string; body: string };
    this.checkVisible(event.identity, conversationId);
    this.sent += 1;
    const message = aMessage({ id: `msg-${this.sent}`, conversationId, body, direction: 'OUTBOUND', authorKind: 'RECRUITER', status: 'QUEUED' });
    const assignee = this.assignees.get(conversationId) ?? null;
    await this.publisher().publish(messageEvent(message, assignee));
    await this.publisher().publish(conversationEvent(aConversation({ id: conversationId, lastMessage: message }), assignee));
    return message;
  }
}
