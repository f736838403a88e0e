/** The console's routes. Anything else is not the console's (the aspirants' form pages live beside it). */
export type Route =
  | { readonly page: 'inbox'; readonly conversationId: string | null }
  | { readonly page: 'dashboard' }
  | { readonly page: 'settings' }
  | { readonly page: 'not-found' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function routeOf(path: string): Route {
  const parts = path.split('/').filter(Boolean);
  if (parts.length === 0) return { page: 'inbox', conversationId: null };
  if (parts[0] === 'conversations' && parts.length === 2 && UUID.test(parts[1]!)) return { page: 'inbox', conversationId: parts[1]! };
  if (parts.length === 1 && parts[0] === 'dashboard') return { page: 'dashboard' };
  if (parts.length === 1 && parts[0] === 'settings') return { page: 'settings' };
  return { page: 'not-found' };
}

export const conversationPath = (conversationId: string): string => `/conversations/${conversationId}`;
