import { defineConfig, type Plugin } from 'vitest/config';
import react from '@vitejs/plugin-react';

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

// One config for the app build and for Vitest, so both resolve modules the same way.
export default defineConfig({
  plugins: [react(), contentSecurityPolicy()],
  base: './',
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    sourcemap: true,
  },
  test: {
    include: ['test/unit/**/*.test.ts', 'test/unit/**/*.test.tsx'],
    environment: 'node',
    // Component tests opt into jsdom with a `@vitest-environment jsdom` docblock.
    pool: 'threads',
    // Property tests over the real engine take ~0.5-1 s each; on a loaded 2-core machine the default 5 s can
    // be too tight. The timeout only bounds a hang: speed is never asserted by a test.
    testTimeout: 20_000,
  },
});
