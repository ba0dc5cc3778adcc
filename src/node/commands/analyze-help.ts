import { FORMAT_NAMES } from '../../formats/index.js';

/** `signals analyze --help`. */
export const ANALYZE_HELP = `Usage: signals analyze [FILES|-] [options]

Scores every conversation of the input files (or stdin: "-", or no file with piped
input) and writes one JSON line per conversation, in input order:
  {"id": <id>, "report": {...}}                 the reference replay line, plus "meta"
                                                for tau results (reward, task id) and
                                                OTLP conversations (trace and span ids)
  {"id": <id or null>, "error": "line N: ..."}   for a record that cannot be read

Inputs
  FILES may be JSONL (one record per line), a JSON array of records (streamed item
  by item), a single JSON document (a .json file holding one pretty-printed object,
  e.g. an OTLP export), any of them gzipped (.gz, recognized by content), or glob patterns
  (*, ?, **) expanded by signals itself. Files are read as streams, never whole.

Options
  -o, --output FILE       write the report lines to FILE (parent directories are
                          created); default (or -): stdout
  -f, --format NAME       read every record as NAME instead of detecting the format
                          per record: ${FORMAT_NAMES.join(', ')}
  -t, --threads N         worker threads (default: available parallelism, here
                          the number of cores); 1 analyzes on the main thread
      --max-messages N    analyze only the last N rows of each conversation
                          (default 100, as the reference; "all" for no limit)
      --with-score        add "quality_score" (0-100) after "report" on each line
                          (off by default: lines stay byte-identical to the reference)
      --max-line-bytes N  longest JSONL line read (default 67108864, 64 MB); a longer
                          line becomes an error line in its place, never buffered
      --strict            stop at the first rejected record (exit code 1)
  -q, --quiet             no progress and no summary on stderr
      --summary-json FILE write the run summary (counts, quality buckets, signal
                          types, throughput, peak RSS) as JSON to FILE
      --otlp-out FILE     also write one OTLP/JSON span per conversation (signal
                          attributes and events; one ExportTraceServiceRequest per
                          line, as the OpenTelemetry Collector's file exporter writes)
      --group UNIT        for traces: one report per span (LLM call), trace or
                          session (default: session where spans name one, else trace)
      --agent NAME        for traces: the agent name in "meta" (default: the spans'
                          gen_ai.agent.id / gen_ai.agent.name, else service.name)
  -h, --help              show this help

Formats (detected per record unless --format is given)
  sharegpt   {"id", "messages"|"conversations": [{"from", "value"}], "meta"}
  openai     Chat Completions messages: {"id", "messages": [{"role", "content",
             "tool_calls", "tool_call_id"}]}, or a bare array of messages
  responses  Responses API: {"id", "input": string | items, "output": items}
  anthropic  Messages API: {"id", "system", "messages": [{"role", "content":
             [text | tool_use | tool_result blocks]}]}
  langchain  LangChain / LangGraph message dicts: {"messages": [{"type": "human" |
             "ai" | "tool" | "system", "content", "tool_calls"}]}
  otlp       OTLP/JSON trace export: GenAI semconv (attributes or events),
             OpenLLMetry, OpenInference, Vercel AI SDK, Langfuse attributes; spans
             assembled per session (else trace), meta: agent, session, trace ids
  langfuse   Langfuse API trace export: {"id", "sessionId", "observations": [...]}
             or {"data": [traces]}
  openai-agents  OpenAI Agents SDK trace export: {"data": [trace, trace.span...]}
  tau        tau-bench / tau2-bench results: arrays of records with "traj", or
             with "messages" and "reward_info", or a tau2 results file
             ({"simulations": [...]}); reward and task id go to "meta"

Progress goes to stderr (a live line on a terminal, cut to its width; a plain line
every 2 s otherwise), then a summary: conversations per quality bucket, the most
frequent signals, the worst conversations and where to look next. Rejected records
are reported on stderr as "file:line: message", counted, and skipped.

Exit codes
  0  all input read (rejected records, if any, are in the output and the summary)
  1  a record was rejected under --strict
  2  usage or I/O error: bad option, unknown format, missing file, unreadable or cut
     gzip, an output that cannot be written (full disk); everything scored before a
     read error is still written
`;
