import type { AspirantIncludes, ConversationIncludes, MessageIncludes } from '../domain/services.ts';

/**
 * The client's selection as AppSync reports it in `info.selectionSetList` ("nodes", "nodes/aspirant",
 * "nodes/aspirant/notes", …), used to load nested data only when asked for.
 */
export class Selection {
  private constructor(
    private readonly paths: ReadonlySet<string>,
    private readonly prefix: string,
  ) {}

  static of(selectionSetList: readonly string[] | undefined): Selection {
    return new Selection(new Set(selectionSetList ?? []), '');
  }

  has(field: string): boolean {
    return this.paths.has(this.prefix + field);
  }

  /** The selection below a field: `at('nodes').has('aspirant')` asks for "nodes/aspirant". */
  at(field: string): Selection {
    return new Selection(this.paths, `${this.prefix}${field}/`);
  }
}

export const aspirantIncludes = (selection: Selection): AspirantIncludes => ({
  assignee: selection.has('assignee'),
  notes: selection.has('notes'),
  photos: selection.has('photos'),
  formLink: selection.has('formLink'),
  formSubmission: selection.has('formSubmission'),
  conversationId: selection.has('conversationId'),
});

export const messageIncludes = (selection: Selection): MessageIncludes => ({
  author: selection.has('author'),
  media: selection.has('media'),
  statusHistory: selection.has('statusHistory'),
  botTrace: selection.has('botTrace'),
});

export const conversationIncludes = (selection: Selection): ConversationIncludes => ({
  aspirant: aspirantIncludes(selection.at('aspirant')),
  lastMessage: selection.has('lastMessage') ? messageIncludes(selection.at('lastMessage')) : null,
});
