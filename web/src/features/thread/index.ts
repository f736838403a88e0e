export { useComposerAction, useSendMessage, useSendTemplate, type Author, type ComposerAction } from './api/send.ts';
export { Thread } from './components/Thread.tsx';
