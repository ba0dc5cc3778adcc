/** A shell example of a Markdown page marked runnable, with the line its fence opens on (1-based). */
export interface DocBlock {
  line: number;
  script: string;
}

const MARK = /^\s*<!--\s*runnable\s*-->\s*$/;
const OPEN = /^(\s*)```(sh|bash|shell)\s*$/;

/**
 * The ```sh blocks that follow a `<!-- runnable -->` line (the marker is the line right before the fence), with
 * the fence's indentation removed (blocks inside list items). A marker not followed by a shell fence is an error,
 * so a typo cannot silently drop an example from the test.
 */
export function runnableBlocks(markdown: string): DocBlock[] {
  const lines = markdown.split('\n');
  const out: DocBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!MARK.test(lines[i])) continue;
    const open = OPEN.exec(lines[i + 1] ?? '');
    if (open === null) throw new Error(`line ${i + 1}: <!-- runnable --> must be followed by a \`\`\`sh fence`);
    const indent = open[1].length;
    const body: string[] = [];
    let j = i + 2;
    for (; j < lines.length && !/^\s*```\s*$/.test(lines[j]); j++) body.push(lines[j].slice(Math.min(indent, lines[j].length - lines[j].trimStart().length)));
    if (j === lines.length) throw new Error(`line ${i + 2}: unclosed code fence`);
    out.push({ line: i + 2, script: body.join('\n') });
  }
  return out;
}
