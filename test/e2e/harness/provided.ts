// Values the global setup hands to every browser test file through Vitest's
// provide/inject. Declaring them here types `inject('e2eBaseUrl')`.
declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the static server that serves dist/, ending with a slash. */
    e2eBaseUrl: string;
    /** Absolute path of the Chromium binary the tests drive. */
    e2eChromiumPath: string;
  }
}

export {};
