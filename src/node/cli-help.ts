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

Signals service (local store $SIGNALS_DB by default, a running service with --url)
  list | show NAME    the signals, or one with its definition
  create NAME --prompt TEXT   a new signal judged by the operator's LLM
                      (or --template ID, --file FILE); edit NAME: a new version
  activate | disable | archive | restore NAME
  versions NAME       its versions and what each changed
  learn NAME          train its learned judge from its LLM labels (--from FILE: a labelled file)
  review NAME [T V]   agreement with reviewers and what to review; T V: label target T as V (human)
  run NAME --since T  backfill a window (--wait: progress bar); runs: list them
  labels NAME         its labels (--value yes); distribution NAME: counts per bucket
  target KIND ID      a conversation with its report and labels
  sessions, traces    browse traffic: newest first, filters (--agent --quality --builtin --signal --q)
  alerts ...          list | create | pause | resume | backtest | history
  providers           the operator's LLM providers a signal may name (no keys)
  ingest FILES        OTLP/JSON exports into the store, labelled live
  config validate|apply FILE   declarative signals and alerts (--dry-run)
  serve               HTTP API, dashboard and /mcp on Node, store embedded
  mcp                 the MCP server over stdio for AI assistants

Options
  -h, --help          show this help (signals help <command>: that command's help)
  -v, --version       print the version

Exit codes
  0  success
  1  rejected input under --strict, a failed check, a request the service refused
  2  usage or I/O error (bad option, unknown format, missing file, unreadable gzip)
`;
