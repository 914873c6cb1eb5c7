/**
 * What the classroom parameters ask of the page, for the app shell to pick
 * its layout: presenter mode, an embed, or the usual page. Reports unusable
 * parameters once and applies `&theme=`.
 */
import { useEffect } from 'react';
import { addNotice, setTheme } from '../../store/appStore.ts';
import { readClassroomParams } from './classroomParams.ts';
import { useClassroomStore } from './classroomStore.ts';

/** Call after the shell's own start-up effect: a `theme=` in the link overrides the system's theme. */
export function useClassroom() {
  const presenting = useClassroomStore((s) => s.presenting);
  const embed = useClassroomStore((s) => s.embed);
  const captions = useClassroomStore((s) => s.captions);
  useEffect(() => {
    const params = readClassroomParams(window.location.search);
    for (const problem of params.problems) addNotice({ tone: 'warning', text: problem });
    if (params.theme) setTheme(params.theme);
  }, []);
  return { presenting, embed, captions };
}
