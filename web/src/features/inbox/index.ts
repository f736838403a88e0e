export { Inbox, type InboxProps } from './components/Inbox.tsx';
export type { Viewer } from './lib/membership.ts';
