export { BotBanner } from './components/BotBanner.tsx';
