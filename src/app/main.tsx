import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { afterFirstView } from '../ui/shell/afterFirstView.ts';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
// Offline support is for the built app; the dev server serves fresh files on every change. The service worker
// (and its precache of every file) starts after the first view, so it does not compete with it.
if (import.meta.env.PROD) void afterFirstView().then(() => import('./pwa/registerServiceWorker.ts')).then((m) => m.registerServiceWorker());
