/** Larger than any export or scenario this app writes (a scenario has at most MAX_STEPS steps). Apart from readFile.ts so the button can check a file's size without loading the readers. */
export const MAX_FILE_BYTES = 32 * 1024 * 1024;
