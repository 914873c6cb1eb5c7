import { describe, expect, it } from 'vitest';
import { EMBED_VIEWS, fullAppSearch, readClassroomParams, withPresent } from '../../../src/ui/present/classroomParams.ts';
import { VIEW_KEYS } from '../../../src/app/views.ts';

describe('classroom parameters', () => {
  it('reads ?present as a flag, off only when it says so', () => {
    expect(readClassroomParams('?present').present).toBe(true);
    expect(readClassroomParams('?scenario=x&present=1').present).toBe(true);
    expect(readClassroomParams('?present=0').present).toBe(false);
    expect(readClassroomParams('?present=off').present).toBe(false);
    expect(readClassroomParams('?scenario=x').present).toBe(false);
  });

  it('names one view per view key, and takes the usual other words for them', () => {
    expect(EMBED_VIEWS.map((v) => v.name).sort()).toEqual(VIEW_KEYS.map((v) => v.name).sort());
    expect(readClassroomParams('?embed=walk').embed?.id).toBe('diagram');
    expect(readClassroomParams('?embed=Stream-Table').embed).toMatchObject({ id: 'stream-table', smmuTab: 'streams' });
    expect(readClassroomParams('?embed=events').embed?.smmuTab).toBe('events');
    expect(readClassroomParams('?embed').embed?.id).toBe('diagram');
  });

  it('turns an unknown view or theme into a message and a sensible default', () => {
    const read = readClassroomParams('?embed=pagetable&theme=blue&captions');
    expect(read.embed?.id).toBe('diagram');
    expect(read.theme).toBeUndefined();
    expect(read.captions).toBe(true);
    expect(read.problems).toEqual([
      '"embed=pagetable" names no view; the diagram is shown. Views: diagram, topology, stream-table, cd-table, event-queue, command-queue, caches, inspector, decoder.',
      '"theme=blue" is neither light nor dark; the system\'s theme is used.',
    ]);
    expect(readClassroomParams('?theme=Dark').theme).toBe('dark');
  });

  it('never presents inside an embed', () => {
    expect(readClassroomParams('?embed=caches&present').present).toBe(false);
  });

  it('adds and drops ?present and the embed parameters, keeping the rest', () => {
    expect(withPresent('?scenario=a&step=3', true)).toBe('?scenario=a&step=3&present=1');
    expect(withPresent('?scenario=a&present=1&step=3', false)).toBe('?scenario=a&step=3');
    expect(withPresent('?present', false)).toBe('');
    expect(fullAppSearch('?scenario=a&embed=walk&captions&step=2&theme=dark')).toBe('?scenario=a&step=2&theme=dark');
    // The step shown wins over the address's (which follows a moment later); a shared scenario has no step there.
    expect(fullAppSearch('?scenario=a&embed=walk&step=2', 5)).toBe('?scenario=a&step=5');
    expect(fullAppSearch('?embed=walk', 5)).toBe('');
  });
});
