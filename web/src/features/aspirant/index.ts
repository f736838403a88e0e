export { AspirantPanel, type PanelViewer } from './components/AspirantPanel.tsx';
