// What every runner shares: the scripted conversation, the tool's two behaviours, the OTLP exporters of the chosen
// encoding, and the report the runner prints (one JSON line) for the test to check.
'use strict';

const QUESTION = "What's the weather in Paris?";
const COMPLAINT = 'No, that is not what I asked. Forget it, I give up.';
const SYSTEM = 'You are a helpful weather assistant.';
const ERROR_TEXT = '503 Service Unavailable';

/** The four scenarios: the tool returns its error as text, throws it, is not offered, or the model streams. */
const SCENARIOS = ['tool-returns', 'tool-throws', 'no-tool', 'streaming'];

/** get_weather for a scenario: returns the upstream's error text, or throws it. */
function weather(scenario) {
  return async function getWeather(args) {
    if (scenario === 'tool-throws') throw new Error(ERROR_TEXT);
    return `Error: ${ERROR_TEXT} (weather upstream for ${args?.city ?? 'Paris'})`;
  };
}

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

// A runner's work can wait on the exporter alone (a retry after a 503, a flush): a ref'd timer keeps the process
// alive as an application's server would, so it never exits 0 halfway through with nothing reported.
let keepAlive;

/** The runner's settings, from its environment (and the keep-alive, until the report is printed). */
function settings() {
  keepAlive ??= setInterval(() => undefined, 1000);
  return {
    modelUrl: env('MODEL_URL'),
    serviceUrl: env('SERVICE_URL'),
    encoding: env('ENCODING'),
    runId: env('RUN_ID'),
    only: process.env.SCENARIOS ? process.env.SCENARIOS.split(',') : SCENARIOS,
  };
}

/** An OTLP trace exporter of the encoding (the official -http JSON or -proto exporter). */
function traceExporter(encoding, url, headers) {
  const { OTLPTraceExporter } = require(encoding === 'protobuf' ? '@opentelemetry/exporter-trace-otlp-proto' : '@opentelemetry/exporter-trace-otlp-http');
  return watched(new OTLPTraceExporter({ url, headers }), 'traces');
}

/** An OTLP log exporter of the encoding. */
function logExporter(encoding, url, headers) {
  const { OTLPLogExporter } = require(encoding === 'protobuf' ? '@opentelemetry/exporter-logs-otlp-proto' : '@opentelemetry/exporter-logs-otlp-http');
  return watched(new OTLPLogExporter({ url, headers }), 'logs');
}

// Exports the exporter gave up on. An SDK only logs such a failure (the processor drops what it held), so a dropped
// export would look like a turn the service lost: the report carries them and the harness fails on any.
const failedExports = [];

/** Exporters `watched` wraps, so the class-level watch of `watchExportersOf` does not count them twice. */
const watchedExporters = new WeakSet();
/** Exporter classes' prototypes `watchExportersOf` patched. */
const watchedClasses = new WeakSet();

/** One export's answer: a failure remembered; with EXPORT_LOG set (a file), every export appended there as a JSON line. */
function recordExport(signal, items, called, result) {
  if (result.code !== 0) failedExports.push({ signal, items: items.length, names: items.map((i) => i.name ?? i.eventName), error: String(result.error?.message ?? result.error) });
  const file = process.env.EXPORT_LOG;
  if (!file) return;
  const summary = (item) => {
    // A span has spanContext(), a log record a spanContext property.
    const context = typeof item.spanContext === 'function' ? item.spanContext() : item.spanContext;
    const a = item.attributes ?? {};
    return {
      name: item.name ?? item.eventName,
      trace: context?.traceId,
      span: context?.spanId,
      parent: item.parentSpanContext?.spanId,
      kind: a['openinference.span.kind'],
      session: a['session.id'],
      inputs: new Set(Object.keys(a).filter((k) => k.startsWith('llm.input_messages.')).map((k) => k.split('.')[2])).size,
    };
  };
  require('node:fs').appendFileSync(file, `${JSON.stringify({ signal, called, answered: Date.now(), code: result.code, error: result.error?.message, items: items.map(summary) })}\n`);
}

/**
 * The exporter, with each failed export remembered (what failed, the exporter's error); with EXPORT_LOG set, every
 * export is also logged (when it was called and answered, its result, and each item's ids, name, kind and session).
 */
function watched(exporter, signal) {
  const original = exporter.export.bind(exporter);
  watchedExporters.add(exporter);
  exporter.export = (items, done) => {
    const called = Date.now();
    original(items, (result) => {
      recordExport(signal, items, called, result);
      done(result);
    });
  };
  return exporter;
}

/**
 * Watches the OTLP/HTTP exporters an SDK makes itself, with no option to pass one in (Langfuse's JSON exporter,
 * OpenLIT's trace and log exporters): the exporter classes as `pkg` resolves them (its own copies, of its versions)
 * record failed exports as `watched` does, for every instance. Call before the SDK makes its exporters. Throws when
 * `pkg` resolves no such class: a runner whose failures the harness cannot see must not pass as one that had none.
 */
function watchExportersOf(pkg, signals) {
  const { dirname } = require('node:path');
  const from = dirname(require.resolve(pkg));
  const classes = { traces: ['@opentelemetry/exporter-trace-otlp-http', 'OTLPTraceExporter'], logs: ['@opentelemetry/exporter-logs-otlp-http', 'OTLPLogExporter'] };
  for (const signal of signals) {
    const [module, name] = classes[signal];
    const proto = require(require.resolve(module, { paths: [from] }))[name]?.prototype;
    if (typeof proto?.export !== 'function') throw new Error(`${pkg}: no ${name} with an export method to watch`);
    if (watchedClasses.has(proto)) continue;
    const original = proto.export;
    proto.export = function exportWatched(items, done) {
      if (watchedExporters.has(this)) return original.call(this, items, done);
      const called = Date.now();
      return original.call(this, items, (result) => {
        recordExport(signal, items, called, result);
        done(result);
      });
    };
    watchedClasses.add(proto);
  }
}

/** The resource every runner's provider gets: the service name from OTEL_SERVICE_NAME (the harness sets it). */
function resource() {
  const { resourceFromAttributes } = require('@opentelemetry/resources');
  return resourceFromAttributes({ 'service.name': process.env.OTEL_SERVICE_NAME ?? 'weather-agent' });
}

/** The OpenAI tool definition of get_weather (chat completions shape). */
const WEATHER_TOOL = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Current weather in a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false },
  },
};

/** Prints the runner's report: per scenario the session id it used, and every export its exporters failed. */
function report(result) {
  clearInterval(keepAlive);
  process.stdout.write(`${JSON.stringify({ ...result, failedExports })}\n`);
}

/**
 * Runs every selected scenario in order, collecting what each returns; errors fail the runner loudly. `flush` (the
 * SDK's own forceFlush) runs after each scenario: the fake model answers at once, so a script would otherwise end
 * spans faster than a busy service takes them, and an exporter drops what it cannot queue (the OTLP exporters keep at
 * most 30 exports in flight). An application waiting seconds on a real model does not outrun its exporter this way.
 */
async function runAll(s, run, flush) {
  const scenarios = {};
  for (const scenario of s.only) {
    scenarios[scenario] = await run(scenario, `${s.runId}-${scenario}`);
    if (flush) await flush();
  }
  return scenarios;
}

module.exports = { resource, QUESTION, COMPLAINT, SYSTEM, ERROR_TEXT, SCENARIOS, weather, settings, traceExporter, logExporter, watchExportersOf, WEATHER_TOOL, report, runAll };
