/**
 * The resolver manifest: the one place that binds every Query, Mutation and Subscription field to a data
 * source. The local host (infra/local) and the AWS stack (infra/aws) both build their resolvers from it.
 *
 * - A binding without `code` on a Lambda data source is a direct Lambda resolver: AppSync invokes the function
 *   with the AppSyncResolverEvent (arguments, identity, source, request, info, prev, stash).
 * - A binding with `code` is an APPSYNC_JS unit resolver; `code` names a file in resolvers/code/.
 */
export const dataSources = {
  /** The GraphQL Lambda: functions/graphql/handler.ts. */
  graphql: { kind: 'lambda', entry: 'functions/graphql/lambda.ts' },
  /** Local operations only (publish passthroughs, subscription filters). */
  none: { kind: 'none' },
} as const;

export type DataSourceName = keyof typeof dataSources;

export interface Binding {
  readonly typeName: 'Query' | 'Mutation' | 'Subscription';
  readonly fieldName: string;
  readonly dataSource: DataSourceName;
  readonly code?: string;
}

const lambda = (typeName: Binding['typeName'], fieldName: string): Binding => ({ typeName, fieldName, dataSource: 'graphql' });

export const bindings: readonly Binding[] = [
  lambda('Query', 'me'),
  lambda('Query', 'recruiters'),
  lambda('Query', 'inbox'),
  lambda('Query', 'conversation'),
  lambda('Query', 'thread'),
  lambda('Query', 'aspirant'),
  lambda('Query', 'searchAspirants'),
  lambda('Query', 'messageTemplates'),
  lambda('Query', 'deadLetters'),
  lambda('Query', 'botTexts'),
  lambda('Query', 'knowledgeDocuments'),
  lambda('Query', 'exportAspirantData'),
  lambda('Query', 'dashboard'),

  lambda('Mutation', 'sendMessage'),
  lambda('Mutation', 'sendTemplate'),
  lambda('Mutation', 'retryDeadLetter'),
  lambda('Mutation', 'markConversationRead'),
  lambda('Mutation', 'assignAspirant'),
  lambda('Mutation', 'updateAspirantStatus'),
  lambda('Mutation', 'setAspirantTags'),
  lambda('Mutation', 'addAspirantNote'),
  lambda('Mutation', 'takeOverConversation'),
  lambda('Mutation', 'handBackConversation'),
  lambda('Mutation', 'recordGuardianConsent'),
  lambda('Mutation', 'sendFormLink'),
  lambda('Mutation', 'requestPhotos'),
  lambda('Mutation', 'updateBotText'),
  lambda('Mutation', 'addKnowledgeDocument'),
  lambda('Mutation', 'deleteKnowledgeDocument'),
  lambda('Mutation', 'eraseAspirant'),
  lambda('Mutation', 'createRecruiter'),
  lambda('Mutation', 'setRecruiterActive'),

  { typeName: 'Mutation', fieldName: 'publishMessageEvent', dataSource: 'none', code: 'publishPassthrough.ts' },
  { typeName: 'Mutation', fieldName: 'publishConversationEvent', dataSource: 'none', code: 'publishPassthrough.ts' },
  { typeName: 'Mutation', fieldName: 'publishAspirantEvent', dataSource: 'none', code: 'publishPassthrough.ts' },
  { typeName: 'Mutation', fieldName: 'publishAspirantErasure', dataSource: 'none', code: 'publishPassthrough.ts' },

  { typeName: 'Subscription', fieldName: 'onMessageEvent', dataSource: 'graphql', code: 'subscribeWithinScope.ts' },
  { typeName: 'Subscription', fieldName: 'onInboxEvent', dataSource: 'none', code: 'subscribeInbox.ts' },
  { typeName: 'Subscription', fieldName: 'onAspirantEvent', dataSource: 'graphql', code: 'subscribeWithinScope.ts' },
  // The same scope filter as the inbox: erasure events carry the erased aspirant's scope.
  { typeName: 'Subscription', fieldName: 'onAspirantErased', dataSource: 'none', code: 'subscribeInbox.ts' },
];
