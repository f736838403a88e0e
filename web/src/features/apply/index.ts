export { ApplyPage } from './ApplyPage.tsx';
