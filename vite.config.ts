import { defineConfig, type Plugin } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';

// The production page's Content-Security-Policy: scripts and workers only from
// the app's own origin, no inline script, no eval, no other hosts. Inline
// styles stay allowed because React and d3 set element styles. It is injected
// at build time only: in dev, @vitejs/plugin-react adds an inline preamble
// script and Vite's client opens a WebSocket, which this policy would block.
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "worker-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

function contentSecurityPolicy(): Plugin {
  const charset = /<meta charset="UTF-8"\s*\/?>/i;
  return {
    name: 'iommu-visualizer:csp',
    apply: 'build',
    transformIndexHtml(html) {
      // Right after the charset declaration, which must stay in the first 1024
      // bytes, and before every script: a policy covers only what follows it.
      if (!charset.test(html)) throw new Error('index.html needs <meta charset="UTF-8" /> for the CSP to follow');
      const meta = `<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}" />`;
      return html.replace(charset, (tag) => `${tag}\n    ${meta}`);
    },
  };
}

// Offline and installable (docs/classroom.md): a generated service worker precaches every built file (the
// engine worker too) and the manifest; main.tsx registers it through 'virtual:pwa-register', so no inline
// script is injected. Source maps stay out of the cache.
function offline(): Plugin[] {
  return VitePWA({
    registerType: 'autoUpdate',
    injectRegister: false,
    manifest: {
      name: 'IOMMU Visualizer',
      short_name: 'IOMMU Viz',
      description: 'How an IOMMU really works: SMMUv3 page-table walks, stream tables, caches and the Linux IOMMU core, step by step.',
      theme_color: '#1d3557',
      background_color: '#f4f6f9',
      display: 'standalone',
      start_url: './',
      scope: './',
      icons: [
        { src: 'icon-192.png', sizes: '192x192', type: 'image/png' },
        { src: 'icon-512.png', sizes: '512x512', type: 'image/png' },
        { src: 'icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        { src: 'icon.svg', sizes: 'any', type: 'image/svg+xml' },
      ],
    },
    workbox: {
      globPatterns: ['**/*.{js,css,html,svg,png,webmanifest}'],
      navigateFallback: 'index.html',
      // The first visit is controlled at once, so it already works offline; an update reloads the page (autoUpdate).
      clientsClaim: true,
      skipWaiting: true,
      cleanupOutdatedCaches: true,
      // The app bundle is larger than Workbox's 2 MiB default; a file over the limit would silently not be cached.
      maximumFileSizeToCacheInBytes: 16 * 1024 * 1024,
    },
  });
}

// One config for the app build and for Vitest, so both resolve modules the same way.
export default defineConfig({
  plugins: [react(), contentSecurityPolicy(), offline()],
  base: './',
  worker: { format: 'es', rolldownOptions: { output: { topLevelVar: false } } },
  build: {
    target: 'es2022',
    sourcemap: true,
    rolldownOptions: {
      treeshake: {
        // The engine and the scenario modules only define things (their one deliberate effect, checking the
        // built-in lessons as they load, is repeated by the worker). Saying so lets the page's bundle drop
        // what the page never calls when it imports them through the scenario barrel: most of the engine
        // stays in the worker's bundle. docs/performance.md has the numbers.
        moduleSideEffects: [
          // src/scenario/zod.ts exists for its effect (zod's jitless switch), so it keeps it.
          { test: /[\\/]src[\\/]scenario[\\/]zod\.ts$/, sideEffects: true },
          { test: /[\\/]src[\\/](engine|scenario)[\\/].*\.ts$/, sideEffects: false },
        ],
      },
      output: {
        // Vite asks Rolldown for `var` at the top level (topLevelVar); V8 then reloads and re-checks a module's
        // typed arrays and constants on every use in optimized code, where a `const` binding is folded in.
        // The engine's hot paths (the IOTLB hit, the walks) were ~7% slower for it (docs/performance.md).
        // The worker's bundle says the same below.
        topLevelVar: false,
        codeSplitting: {
          // zod shares a chunk with the module that switches it to jitless mode, so that switch runs before any
          // schema is used: otherwise a lazily split chunk may validate first, and zod's eval probe breaks the CSP.
          groups: [{ name: 'zod', test: /[\\/]node_modules[\\/]zod[\\/]|[\\/]src[\\/]scenario[\\/]zod\.ts$/ }],
        },
      },
    },
  },
  test: {
    include: ['test/unit/**/*.test.ts', 'test/unit/**/*.test.tsx'],
    environment: 'node',
    setupFiles: ['test/unit/setup/settle-app.ts'],
    // Component tests opt into jsdom with a `@vitest-environment jsdom` docblock.
    pool: 'threads',
    // Property tests over the real engine take ~0.5-1 s each; on a loaded 2-core machine the default 5 s can
    // be too tight. The timeout only bounds a hang: speed is never asserted by a test.
    testTimeout: 20_000,
  },
});
