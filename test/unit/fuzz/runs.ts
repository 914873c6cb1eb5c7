/**
 * Counts the inputs each fuzz property tried, so the totals can be printed
 * (and quoted in docs/reliability.md) from a real run rather than guessed.
 */
import { afterAll } from 'vitest';

const counts = new Map<string, number>();

export function counted<A extends unknown[]>(name: string, check: (...args: A) => void): (...args: A) => void {
  return (...args: A) => {
    counts.set(name, (counts.get(name) ?? 0) + 1);
    check(...args);
  };
}

export function reportRuns(file: string): void {
  afterAll(() => {
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    const lines = [...counts.entries()].map(([name, n]) => `  ${n.toLocaleString('en-US')}  ${name}`);
    console.log(`fuzz ${file}: ${total.toLocaleString('en-US')} inputs\n${lines.join('\n')}`);
  });
}
