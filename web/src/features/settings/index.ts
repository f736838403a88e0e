export { SettingsPage } from './components/SettingsPage.tsx';
export { alertIncoming } from './lib/notify.ts';
