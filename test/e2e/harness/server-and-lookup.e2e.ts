import { chmodSync, mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChromium, noChromiumMessage } from './find-chromium.ts';
import { startStaticServer, type StaticServer } from './static-server.ts';

// Sends a raw path, so '..' segments reach the server un-normalised.
function get(base: string, rawPath: string): Promise<{ status: number; type: string; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path: rawPath, method: 'GET' }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, type: response.headers['content-type'] ?? '', body }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('static server', () => {
  const root = mkdtempSync(join(tmpdir(), 'e2e-static-'));
  let server: StaticServer;
  beforeAll(async () => {
    mkdirSync(join(root, 'site', 'assets'), { recursive: true });
    writeFileSync(join(root, 'secret.txt'), 'outside the served folder');
    writeFileSync(join(root, 'site', 'index.html'), '<title>t</title>');
    for (const name of ['a.js', 'a.css', 'a.svg', 'a.json', 'a.wasm', 'a.png', 'a.webmanifest']) {
      writeFileSync(join(root, 'site', 'assets', name), 'x');
    }
    server = await startStaticServer(join(root, 'site'));
  });
  afterAll(() => server.close());

  it('listens on 127.0.0.1 and serves index.html for /', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const response = await get(server.url, '/');
    expect(response).toMatchObject({ status: 200, type: 'text/html; charset=utf-8', body: '<title>t</title>' });
  });

  it.each([
    ['a.js', 'text/javascript; charset=utf-8'],
    ['a.css', 'text/css; charset=utf-8'],
    ['a.svg', 'image/svg+xml'],
    ['a.json', 'application/json; charset=utf-8'],
    ['a.wasm', 'application/wasm'],
    ['a.png', 'image/png'],
    ['a.webmanifest', 'application/manifest+json'],
  ])('serves %s as %s', async (name, type) => {
    const response = await get(server.url, `/assets/${name}`);
    expect(response.status).toBe(200);
    expect(response.type).toBe(type);
  });

  it('answers 404 for a missing file and never serves outside its folder', async () => {
    expect((await get(server.url, '/assets/missing.js')).status).toBe(404);
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt']) {
      const response = await get(server.url, path);
      expect(response.status, path).toBeGreaterThanOrEqual(400);
      expect(response.body, path).not.toContain('outside');
    }
  });
});

describe('Chromium lookup', () => {
  const dir = mkdtempSync(join(tmpdir(), 'e2e-chromium-'));
  const fakeBrowser = join(dir, 'chromium');
  writeFileSync(fakeBrowser, '#!/bin/sh\n');
  chmodSync(fakeBrowser, 0o755);
  const notExecutable = join(dir, 'plain-file');
  writeFileSync(notExecutable, '');

  it('takes CHROMIUM_PATH first, then CHROME_PATH', () => {
    expect(findChromium({ CHROMIUM_PATH: fakeBrowser, CHROME_PATH: '/nonexistent' }).found).toBe(fakeBrowser);
    expect(findChromium({ CHROMIUM_PATH: '/nonexistent', CHROME_PATH: fakeBrowser }).found).toBe(fakeBrowser);
  });

  it('with E2E_CHROMIUM_LOOKUP=env-only, reports every place it tried and how to fix it', () => {
    const lookup = findChromium({ CHROMIUM_PATH: notExecutable, E2E_CHROMIUM_LOOKUP: 'env-only' });
    expect(lookup.found).toBeUndefined();
    expect(lookup.tried).toEqual([
      `$CHROMIUM_PATH=${notExecutable} (not executable)`,
      '$CHROME_PATH (not set)',
      'system paths (skipped: E2E_CHROMIUM_LOOKUP=env-only)',
    ]);
    const message = noChromiumMessage(lookup);
    expect(message).toContain('apt-get install -y chromium');
    expect(message).toContain('CHROMIUM_PATH');
  });
});
