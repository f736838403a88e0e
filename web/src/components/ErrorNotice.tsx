import { CombinedGraphQLErrors } from '@apollo/client';

/** The message a recruiter can act on: the server's own words for GraphQL errors, a plain one otherwise. */
export function errorMessage(error: unknown): string {
  if (CombinedGraphQLErrors.is(error)) return error.errors.map((entry) => entry.message).join('; ');
  if (error instanceof Error && /fetch|network/i.test(error.message)) return 'No connection to the server. Check the network and try again.';
  return error instanceof Error ? error.message : String(error);
}

export function ErrorNotice({ error, action }: { readonly error: unknown; readonly action?: { label: string; run: () => void } }) {
  return (
    <div className="notice notice--error" role="alert">
      <span>{errorMessage(error)}</span>
      {action && (
        <button type="button" className="button button--small" onClick={action.run}>
          {action.label}
        </button>
      )}
    </div>
  );
}
