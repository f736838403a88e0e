export { PhotoGallery } from './components/PhotoGallery.tsx';
