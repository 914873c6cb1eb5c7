import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ENGINE = resolve(import.meta.dirname, '../../../src/engine');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('src/engine stays pure', () => {
  const sources = files(ENGINE).map((p) => ({ p, text: readFileSync(p, 'utf8') }));

  it('has sources to check', () => {
    expect(sources.length).toBeGreaterThan(5);
  });

  it('imports only from inside src/engine', () => {
    const escapes: string[] = [];
    for (const { p, text } of sources) {
      for (const m of text.matchAll(/(?:import|export)[^'"]*from\s+['"]([^'"]+)['"]/g)) {
        const spec = m[1] as string;
        const target = spec.startsWith('.') ? resolve(p, '..', spec) : spec;
        if (!spec.startsWith('.') || relative(ENGINE, target).startsWith('..')) escapes.push(`${relative(ENGINE, p)}: ${spec}`);
      }
    }
    expect(escapes).toEqual([]);
  });

  it('uses no wall clock, no Math.random and no DOM', () => {
    // A property access (window.x), not prose that ends a sentence with the word "window.".
    const hits = sources.filter(({ text }) => /Date\.now|Math\.random|\b(?:document|window)\.[A-Za-z_$]/.test(text)).map(({ p }) => p);
    expect(hits).toEqual([]);
  });
});
