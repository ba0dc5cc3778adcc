/**
 * The regular-expression families of the failure (§8.1) and exhaustion (§10) detectors, verbatim in
 * the reference dialect (Unicode `\s`, `\w`, `\b`; `.` excludes only a newline). `regex-family.ts` translates them.
 */

/** `invalid_args` (21 patterns). */
export const INVALID_ARGS_PATTERNS: readonly string[] = [
  "invalid\\s+argument",
  "invalid\\s+parameter",
  "invalid\\s+type",
  "type\\s*error",
  "expected\\s+\\w+\\s*,?\\s*got\\s+\\w+",
  "required\\s+field",
  "required\\s+parameter",
  "missing\\s+required",
  "missing\\s+argument",
  "validation\\s+failed",
  "validation\\s+error",
  "invalid\\s+value",
  "invalid\\s+format",
  "must\\s+be\\s+(a|an)\\s+\\w+",
  "cannot\\s+be\\s+(null|empty|none)",
  "is\\s+not\\s+valid",
  "does\\s+not\\s+match",
  "out\\s+of\\s+range",
  "invalid\\s+date",
  "invalid\\s+json",
  "malformed\\s+request"
];

/** `bad_query` (15 patterns). */
export const BAD_QUERY_PATTERNS: readonly string[] = [
  "invalid\\s+query",
  "query\\s+syntax\\s+error",
  "malformed\\s+query",
  "unknown\\s+field",
  "invalid\\s+field",
  "invalid\\s+filter",
  "invalid\\s+search",
  "unknown\\s+id",
  "invalid\\s+id",
  "id\\s+format\\s+error",
  "invalid\\s+identifier",
  "query\\s+failed",
  "search\\s+error",
  "invalid\\s+operator",
  "unsupported\\s+query"
];

/** `tool_not_found` (11 patterns). */
export const TOOL_NOT_FOUND_PATTERNS: readonly string[] = [
  "unknown\\s+function",
  "unknown\\s+tool",
  "function\\s+not\\s+found",
  "tool\\s+not\\s+found",
  "no\\s+such\\s+function",
  "no\\s+such\\s+tool",
  "undefined\\s+function",
  "action\\s+not\\s+supported",
  "invalid\\s+tool",
  "invalid\\s+function",
  "unrecognized\\s+function"
];

/** `auth_misuse` (14 patterns). */
export const AUTH_MISUSE_PATTERNS: readonly string[] = [
  "\\bunauthorized\\b",
  "(status|error|http|code)\\s*:?\\s*401",
  "401\\s+unauthorized",
  "403\\s+forbidden",
  "permission\\s+denied",
  "access\\s+denied",
  "authentication\\s+required",
  "invalid\\s+credentials",
  "invalid\\s+token",
  "token\\s+expired",
  "missing\\s+authorization",
  "\\bforbidden\\b",
  "not\\s+authorized",
  "insufficient\\s+permissions?"
];

/** `state_error` (15 patterns). */
export const STATE_ERROR_PATTERNS: readonly string[] = [
  "invalid\\s+state",
  "illegal\\s+state",
  "must\\s+call\\s+\\w+\\s+first",
  "must\\s+\\w+\\s+before",
  "cannot\\s+\\w+\\s+before",
  "already\\s+(exists?|created|started|finished)",
  "not\\s+initialized",
  "not\\s+started",
  "already\\s+in\\s+progress",
  "operation\\s+in\\s+progress",
  "sequence\\s+error",
  "precondition\\s+failed",
  "(status|error|http)\\s*:?\\s*409",
  "409\\s+conflict",
  "\\bconflict\\b"
];

/** `api_error` (17 patterns). */
export const API_ERROR_PATTERNS: readonly string[] = [
  "500\\s*(internal\\s+)?server\\s+error",
  "502\\s*bad\\s+gateway",
  "503\\s*service\\s+unavailable",
  "504\\s*gateway\\s+timeout",
  "internal\\s+server\\s+error",
  "service\\s+unavailable",
  "server\\s+error",
  "backend\\s+error",
  "upstream\\s+error",
  "service\\s+temporarily\\s+unavailable",
  "maintenance\\s+mode",
  "under\\s+maintenance",
  "try\\s+again\\s+later",
  "temporarily\\s+unavailable",
  "system\\s+error",
  "unexpected\\s+error",
  "unhandled\\s+exception"
];

/** `timeout` (11 patterns). */
export const TIMEOUT_PATTERNS: readonly string[] = [
  "timeout",
  "timed?\\s*out",
  "etimedout",
  "connection\\s+timed?\\s*out",
  "read\\s+timed?\\s*out",
  "request\\s+timed?\\s*out",
  "gateway\\s+timeout",
  "deadline\\s+exceeded",
  "took\\s+too\\s+long",
  "operation\\s+timed?\\s*out",
  "socket\\s+timeout"
];

/** `rate_limit` (15 patterns). */
export const RATE_LIMIT_PATTERNS: readonly string[] = [
  "rate\\s+limit",
  "rate.limited",
  "(status|error|http)\\s*:?\\s*429",
  "429\\s+(too\\s+many|rate|limit)",
  "too\\s+many\\s+requests?",
  "quota\\s+exceeded",
  "quota\\s+limit",
  "throttl(ed|ing)",
  "request\\s+limit",
  "api\\s+limit",
  "calls?\\s+per\\s+(second|minute|hour|day)",
  "exceeded\\s+.*\\s+limit",
  "slow\\s+down",
  "retry\\s+after",
  "requests?\\s+exceeded"
];

/** `network` (17 patterns). */
export const NETWORK_PATTERNS: readonly string[] = [
  "connection\\s+refused",
  "econnrefused",
  "econnreset",
  "connection\\s+reset",
  "enotfound",
  "dns\\s+(error|failure|lookup)",
  "host\\s+not\\s+found",
  "network\\s+(error|failure|unreachable)",
  "no\\s+route\\s+to\\s+host",
  "socket\\s+error",
  "connection\\s+failed",
  "unable\\s+to\\s+connect",
  "cannot\\s+connect",
  "could\\s+not\\s+connect",
  "connect\\s+error",
  "ssl\\s+(error|handshake|certificate)",
  "certificate\\s+(error|invalid|expired)"
];

/** `malformed` (16 patterns). */
export const MALFORMED_PATTERNS: readonly string[] = [
  "json\\s+parse\\s+error",
  "invalid\\s+json",
  "unexpected\\s+token",
  "syntax\\s+error.*json",
  "malformed\\s+(response|json|data)",
  "unexpected\\s+end\\s+of",
  "parse\\s+error",
  "parsing\\s+failed",
  "invalid\\s+response",
  "unexpected\\s+response",
  "response\\s+format",
  "missing\\s+field.*response",
  "unexpected\\s+schema",
  "schema\\s+validation",
  "deserialization\\s+error",
  "failed\\s+to\\s+decode"
];

/** `context_overflow` (10 patterns). */
export const CONTEXT_OVERFLOW_PATTERNS: readonly string[] = [
  "context\\s+(length|limit|overflow|exceeded)",
  "token\\s+(limit|overflow|exceeded)",
  "max(imum)?\\s+tokens?",
  "input\\s+too\\s+(long|large)",
  "exceeds?\\s+(context|token|character|input)\\s+limit",
  "message\\s+too\\s+(long|large)",
  "content\\s+too\\s+(long|large)",
  "truncat(ed|ion)\\s+(due\\s+to|because|for)\\s+(length|size|limit)",
  "maximum\\s+context",
  "prompt\\s+too\\s+(long|large)"
];
