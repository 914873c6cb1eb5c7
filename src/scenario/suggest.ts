/**
 * "Did you mean ...?" for misspelt names: field names, register names,
 * command names. A case slip or the letter O typed for the digit 0 ("TOSZ")
 * always matches; otherwise the nearest name within a small edit distance,
 * or a name it abbreviates.
 */

const normal = (name: string) => name.toLowerCase().replace(/o/g, '0');

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] as number;
}

/** The name in `names` that `wrong` most likely meant, if one is close enough. */
export function suggestName(wrong: string, names: readonly string[]): string | undefined {
  const exact = names.find((name) => normal(name) === normal(wrong));
  if (exact) return exact;
  // Short names get one slip, longer ones two: "SID" must not suggest "V".
  const limit = wrong.length <= 4 ? 1 : 2;
  let best: { name: string; distance: number } | undefined;
  for (const name of names) {
    const distance = editDistance(normal(wrong), normal(name));
    if (distance <= limit && (!best || distance < best.distance)) best = { name, distance };
  }
  if (best) return best.name;
  // Abbreviations: "S1CtxPtr" for "S1ContextPtr", the letters in order.
  if (wrong.length < 4) return undefined;
  const abbreviated = names.filter((name) => isSubsequence(normal(wrong), normal(name)));
  return abbreviated.sort((a, b) => a.length - b.length)[0];
}

function isSubsequence(short: string, long: string): boolean {
  let i = 0;
  for (const c of long) if (c === short[i]) i++;
  return i === short.length;
}
