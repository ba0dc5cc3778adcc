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
  return new OTLPTraceExporter({ url, headers });
}

/** An OTLP log exporter of the encoding. */
function logExporter(encoding, url, headers) {
  const { OTLPLogExporter } = require(encoding === 'protobuf' ? '@opentelemetry/exporter-logs-otlp-proto' : '@opentelemetry/exporter-logs-otlp-http');
  return new OTLPLogExporter({ url, headers });
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

/** Prints the runner's report: per scenario the session id it used and the trace ids it saw. */
function report(result) {
  clearInterval(keepAlive);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

/** Runs every selected scenario in order, collecting what each returns; errors fail the runner loudly. */
async function runAll(s, run) {
  const scenarios = {};
  for (const scenario of s.only) scenarios[scenario] = await run(scenario, `${s.runId}-${scenario}`);
  return scenarios;
}

module.exports = { resource, QUESTION, COMPLAINT, SYSTEM, ERROR_TEXT, SCENARIOS, weather, settings, traceExporter, logExporter, WEATHER_TOOL, report, runAll };
