/**
 * Registers the generated service worker (vite-plugin-pwa, autoUpdate):
 * after the first visit the app loads and runs with no network. Imported
 * from main.tsx (after the first view), so no inline script is needed (the CSP forbids it).
 * Where service workers are unavailable (an insecure origin, a browser
 * that blocks them) the app simply runs online.
 */
/// <reference types="vite-plugin-pwa/vanillajs" />
import { registerSW } from 'virtual:pwa-register';

export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator)) return;
  registerSW({
    immediate: true,
    // Not an error the user can act on: the app works, only not offline.
    onRegisterError: (error: unknown) => console.info('The app will not work offline: its service worker was not registered.', error),
  });
}
