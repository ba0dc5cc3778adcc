import { vi } from 'vitest';

/** Collects what is written to process.stdout until the returned function is called, which gives the text back. */
export function captureStdout(): () => string {
  let text = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    text += String(chunk);
    return true;
  });
  return () => {
    spy.mockRestore();
    return text;
  };
}
