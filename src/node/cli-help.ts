/** `signals --help`. */
export const CLI_HELP = `Usage: signals <command> [options]

Model-free quality signals for AI-agent conversations.

Commands
  analyze [FILES|-]   score conversations (JSONL, JSON arrays, OTLP exports,
                      gzip, globs, stdin) and write one report line per
                      conversation; see signals analyze --help
  triage ...          pick the conversations most worth a human look;
                      see signals triage --help
  eval ...            measure how well the signals separate failed from
                      successful runs; see signals eval --help
                      (--signal NAME: a custom signal against labels)
  templates           list the ready custom-signal templates
  init                write a signals.config.yaml from templates
  test --signal NAME  preview a custom signal on a sample of conversations

Options
  -h, --help          show this help (signals help <command>: that command's help)
  -v, --version       print the version

Exit codes
  0  success
  1  rejected input under --strict
  2  usage or I/O error (bad option, unknown format, missing file, unreadable gzip)
`;
