import type { JsonObject } from '../json-value.js';

/** One span event with its attributes decoded. */
export interface EventView {
  name: string;
  attributes: JsonObject;
}

/** One OTLP span as the convention readers see it: decoded attributes and events, plus its resource's attributes. */
export interface SpanView {
  name: string;
  attributes: JsonObject;
  events: EventView[];
  resource: JsonObject;
  /** The span's status: `code` 2 (or `STATUS_CODE_ERROR`) is an error, with its `message`. */
  status?: { code: unknown; message?: unknown };
}

/** What a convention reader found in a span: OpenAI chat messages, and whether the span is an LLM call or a tool run. */
export interface SpanRead {
  messages: JsonObject[];
  kind: 'llm' | 'tool';
}

/** A convention reader: the span's messages, or undefined when the span does not use this convention. */
export type ConventionReader = (span: SpanView) => SpanRead | undefined;
