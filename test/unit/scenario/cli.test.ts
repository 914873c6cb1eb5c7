/**
 * src/cli/scenario.ts as a user runs it: a child process, one JSON line per
 * step on stdout, problems on stderr with exit status 2.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BUILTIN = join(ROOT, 'src/scenario/builtin');

function cli(...args: string[]) {
  const r = spawnSync('npx', ['tsx', 'src/cli/scenario.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tempFile(name: string, content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'scenario-cli-')), name);
  writeFileSync(path, content);
  return path;
}

describe('npm run scenario', { timeout: 60_000 }, () => {
  it('prints one JSON line per step of a built-in and exits 0', () => {
    const file = join(BUILTIN, 'permission-fault.json');
    const steps = (JSON.parse(readFileSync(file, 'utf8')) as { steps: unknown[] }).steps;
    const r = cli(file);
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(steps.length);
    const results = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(results.map((x) => x.step)).toEqual(steps.map((_, i) => i));
    expect(results.at(-1)).toMatchObject({ kind: 'walk', input: '0xfffff800', access: 'write', fault: { type: 'permission', level: 3 } });
    expect(results.at(-2)).toMatchObject({ kind: 'walk', input: '0xfffff800', access: 'read', output: '0x881234800' });
  });

  it('runs an SMMU built-in: the DMA lines name the event record, and --trace adds the DMA path', () => {
    const file = join(BUILTIN, 'smmu-nested.json');
    const r = cli(file, '--trace');
    expect(r.status).toBe(0);
    // npx may warn about its own configuration; the scenario itself prints nothing on stderr.
    expect(r.stderr.split('\n').filter((line) => line !== '' && !line.startsWith('npm warn'))).toEqual([]);
    const results = r.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(results.map((x) => x.kind)).toEqual((JSON.parse(readFileSync(file, 'utf8')) as { steps: { kind: string }[] }).steps.map((s) => s.kind));
    const [translated, faulted] = results.slice(-2);
    expect(translated).toMatchObject({ kind: 'smmu.dma', result: 'translated', output: '0x200000123', config: 'nested', walkReads: 14 });
    expect(translated?.trace).toMatchObject({ smmuEnabled: true, ste: { cached: false, config: 'nested' }, cd: { ipa: '0x80100000', address: '0x200100000' } });
    expect(faulted).toMatchObject({ result: 'terminated', event: { name: 'F_TRANSLATION', S2: 1, CLASS: 2, IPA: '0x90000000' }, recorded: 0 });
  });

  it('refuses an SMMU step with a bad field: exit 2 and the did-you-mean on stderr', () => {
    const file = tempFile(
      'bad-ste.json',
      JSON.stringify({
        format: 'iommu-visualizer-scenario',
        version: 1,
        title: 'bad STE',
        steps: [
          { kind: 'smmu.probe', preset: 'full', streamTable: 'linear' },
          { kind: 'smmu.writeSte', sid: 1, fields: { V: 1, Confg: 5, S1CDMax: 40 } },
        ],
      }),
    );
    const r = cli(file);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`${file}: steps[1].fields.Confg: is not a field of an STE; did you mean "Config"?\n`);
    expect(r.stderr).toContain(`${file}: steps[1].fields.S1CDMax: 40 does not fit in 5 bits [63:59] (at most 31)\n`);
  });

  it('refuses a file with a bad field: exit 2, the step and field on stderr, nothing on stdout, no stack trace', () => {
    const file = tempFile(
      'bad.json',
      JSON.stringify({
        format: 'iommu-visualizer-scenario',
        version: 1,
        title: 'bad',
        steps: [
          { kind: 'pgtable.create', name: 'dev0', TG0: 0, T0SZ: 16 },
          { kind: 'walk', table: 'dev0', address: '0x1000', access: 'read' },
          { kind: 'pgtable.map', table: 'dev0', iova: 4096, paddr: '0x8_8000_0000', size: '0x1000', prot: 'rw' },
        ],
      }),
    );
    const r = cli(file);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`${file}: steps[2].iova: must be a hex string like "0x1000" (got 4096)\n`);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  it('refuses invalid JSON with its line and column, and a missing file', () => {
    const broken = tempFile('broken.json', '{\n  "format": "iommu-visualizer-scenario",\n  "title": \'x\'\n}\n');
    const r = cli(broken);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${broken}: invalid JSON at line 3, column 12: strings need double quotes, not single quotes`);

    const missing = join(tmpdir(), 'no-such-dir-for-scenario', 'x.json');
    const m = cli(missing);
    expect(m.status).toBe(2);
    expect(m.stderr).toContain(`${missing}: no such file`);
    expect(m.stdout).toBe('');
  });

  it('goes on after a step the engine rejects, and --strict makes that exit 1', () => {
    const file = tempFile(
      'rejected.json',
      JSON.stringify({
        format: 'iommu-visualizer-scenario',
        version: 1,
        title: 'misaligned',
        steps: [
          { kind: 'pgtable.create', name: 'dev0', TG0: 0, T0SZ: 16 },
          { kind: 'pgtable.map', table: 'dev0', iova: '0x1800', paddr: '0x8_8000_0000', size: '0x1000', prot: 'rw' },
          { kind: 'walk', table: 'dev0', address: '0x1800', access: 'read' },
        ],
      }),
    );
    const r = cli(file);
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatchObject({ step: 1, kind: 'pgtable.map', field: 'iova' });
    expect(lines[2]).toMatchObject({ step: 2, kind: 'walk', fault: { type: 'translation' } });

    const strict = cli(file, '--strict');
    expect(strict.status).toBe(1);
    expect(strict.stdout.trimEnd().split('\n')).toHaveLength(3);
    expect(strict.stderr).toContain('the engine rejected 1 step');
  });
});
