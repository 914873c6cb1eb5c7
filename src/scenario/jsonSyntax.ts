/**
 * Where a JSON text goes wrong, as line and column. JSON.parse's messages
 * differ between engines and do not always carry a position, so when it fails
 * this small scanner (iterative, so deep nesting cannot overflow the stack)
 * finds the first error itself and says what was expected there.
 */

export interface JsonSyntaxError {
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

type Mode = 'value' | 'key' | 'after';

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPES = '"\\/bfnrt';

export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  const at = (offset: number, message: string) => ({ ...lineAndColumn(text, offset), message });
  const shown = (offset: number) => (offset >= text.length ? 'the end of the text' : JSON.stringify(text[offset]));
  const stack: ('{' | '[')[] = [];
  let i = 0;
  let mode: Mode = 'value';
  const skipSpace = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i] as string)) i++;
  };

  // Returns an error for a bad string starting at text[i] === '"', else moves i past it.
  const scanString = (): JsonSyntaxError | undefined => {
    const start = i;
    i++;
    for (;;) {
      if (i >= text.length) return at(start, 'this string is never closed (a " is missing)');
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return undefined;
      }
      if (c < 0x20) return at(i, 'a string cannot hold a raw line break or control character (write \\n instead)');
      if (c === 0x5c) {
        const next = text[i + 1];
        if (next === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return at(i, 'a \\u escape needs four hex digits');
          i += 6;
          continue;
        }
        if (next === undefined || !ESCAPES.includes(next)) return at(i, `invalid escape in a string: \\${next ?? ''}`);
        i += 2;
        continue;
      }
      i++;
    }
  };

  for (;;) {
    skipSpace();
    if (mode === 'value') {
      const c = text[i];
      if (c === '{' || c === '[') {
        stack.push(c);
        i++;
        skipSpace();
        if (text[i] === (c === '{' ? '}' : ']')) {
          stack.pop();
          i++;
          mode = 'after';
        } else mode = c === '{' ? 'key' : 'value';
        continue;
      }
      if (c === '"') {
        const error = scanString();
        if (error) return error;
      } else if (c !== undefined && (c === '-' || (c >= '0' && c <= '9'))) {
        NUMBER.lastIndex = i;
        if (!NUMBER.test(text)) return at(i, 'invalid number');
        i = NUMBER.lastIndex;
      } else {
        const word = ['true', 'false', 'null'].find((w) => text.startsWith(w, i));
        if (!word) {
          if (c === "'") return at(i, 'strings need double quotes, not single quotes');
          return at(i, `expected a value (object, array, string, number, true, false or null), found ${shown(i)}`);
        }
        i += word.length;
      }
      mode = 'after';
    } else if (mode === 'key') {
      if (text[i] !== '"') {
        if (text[i] === '}') return at(i, 'a "," before "}" is not allowed in JSON (trailing comma)');
        return at(i, `expected a property name in double quotes, found ${shown(i)}`);
      }
      const error = scanString();
      if (error) return error;
      skipSpace();
      if (text[i] !== ':') return at(i, `expected ":" after the property name, found ${shown(i)}`);
      i++;
      mode = 'value';
    } else {
      const top = stack[stack.length - 1];
      if (top === undefined) return i < text.length ? at(i, `unexpected ${shown(i)} after the end of the JSON value`) : undefined;
      const close = top === '{' ? '}' : ']';
      if (text[i] === ',') {
        i++;
        skipSpace();
        if (top === '[' && text[i] === ']') return at(i, 'a "," before "]" is not allowed in JSON (trailing comma)');
        mode = top === '{' ? 'key' : 'value';
      } else if (text[i] === close) {
        stack.pop();
        i++;
      } else {
        return at(i, i >= text.length ? `the text ends before a closing "${close}"` : `expected "," or "${close}", found ${shown(i)}`);
      }
    }
  }
}

/** 1-based line and column (in UTF-16 code units) of an offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let k = 0; k < offset && k < text.length; k++) {
    if (text[k] === '\n') {
      line++;
      lineStart = k + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
