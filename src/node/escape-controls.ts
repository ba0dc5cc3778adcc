import { escapedChar } from '../formats/agent-name.js';

/**
 * Control characters made visible before text from the input reaches a terminal: C0 (tab and newline included,
 * which would break the one-line-per-problem layout), DEL and C1 become `\xNN`, and the line and paragraph
 * separators `\u2028`/`\u2029`. An input holding `\x1b[2J` can then no longer clear the user's screen.
 */
export function escapeControls(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, escapedChar);
}

/**
 * Text for a terminal that keeps its line breaks: every other control character (`ESC`, BEL, C1, carriage return,
 * tab) made visible as {@link escapeControls} does, so traffic quoted in the CLI's lines cannot drive the terminal.
 */
export function escapeTerminal(text: string): string {
  return text.split('\n').map(escapeControls).join('\n');
}
