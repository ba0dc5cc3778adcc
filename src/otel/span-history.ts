import type { Attributes } from '@opentelemetry/api';
import type { Message } from '../core/types.js';
import { openAIToMessages } from '../formats/index.js';
import { otelMessagesToOpenAI } from '../formats/otel-genai-messages.js';

const INPUT = 'gen_ai.input.messages';
const OUTPUT = 'gen_ai.output.messages';

/** What the last span of a conversation read. */
interface History {
  /** Its `gen_ai.input.messages` text. */
  input: string;
  /** Rows of that input. */
  inputRows: number;
  /** Rows of its `gen_ai.output.messages`. */
  output: Message[];
}

/** The rows a span adds to its conversation, and how many rows came before them. */
export interface SpanStep {
  before: number;
  rows: Message[];
}

function rowsOf(text: unknown, key: string): Message[] {
  if (text === undefined) return [];
  if (typeof text !== 'string') throw new TypeError(`${key} must be a JSON string`);
  return openAIToMessages(otelMessagesToOpenAI(JSON.parse(text), key));
}

const sameRow = (a: Message, b: Message) => a.from === b.from && a.value === b.value;

/**
 * Each LLM call's `gen_ai.input.messages` repeats the previous call's input and output and adds the new turn.
 * Reading that whole JSON again is O(history) parsing per call; this keeps, per conversation, the last input
 * text, and when the next input starts with it (compared as text, which is exact and runs at memory speed),
 * parses only the messages after it. The GenAI → rows conversion maps each message on its own, so those rows
 * are exactly the rows a full read would add. Bounded by `max` conversations (least recently used first); it
 * keeps one input text per conversation.
 */
export class SpanHistories {
  readonly #max: number;
  readonly #entries = new Map<string, History>();

  constructor(max: number) {
    this.#max = max;
  }

  /**
   * The rows the span adds to what the last span of conversation `id` read, if its input continues that span's
   * input and output as text; undefined otherwise (or on any read error: the caller's full read reports it).
   */
  step(id: string, attributes: Attributes): SpanStep | undefined {
    const last = this.#entries.get(id);
    const input = attributes[INPUT];
    if (!last || typeof input !== 'string') return undefined;
    // The last input without its closing bracket: its messages, which the next input must start with.
    const head = last.input.trimEnd();
    const body = head.slice(0, -1).trimEnd();
    if (!head.endsWith(']') || !input.startsWith(body)) return undefined;
    const tail = input.slice(body.length);
    const rest = body.endsWith('[') ? tail : /^[ \t\n\r]*,/.test(tail) ? tail.slice(tail.indexOf(',') + 1) : /^[ \t\n\r]*\][ \t\n\r]*$/.test(tail) ? ']' : undefined;
    if (rest === undefined) return undefined;
    try {
      const added = rowsOf(`[${rest}`, INPUT);
      // The previous output is normally the start of what the input adds; if not, the history was edited.
      if (added.length < last.output.length || !last.output.every((row, i) => sameRow(row, added[i]))) return undefined;
      const output = rowsOf(attributes[OUTPUT], OUTPUT);
      this.#set(id, { input, inputRows: last.inputRows + added.length, output });
      return { before: last.inputRows + last.output.length, rows: [...added.slice(last.output.length), ...output] };
    } catch {
      return undefined;
    }
  }

  /** Records a span read in full: its rows are `rows`, the last of which came from its output. */
  remember(id: string, attributes: Attributes, rows: readonly Message[]): void {
    const input = attributes[INPUT];
    if (typeof input !== 'string') {
      this.#entries.delete(id);
      return;
    }
    const output = rowsOf(attributes[OUTPUT], OUTPUT);
    this.#set(id, { input, inputRows: rows.length - output.length, output });
  }

  /** Forgets every conversation. */
  clear(): void {
    this.#entries.clear();
  }

  #set(id: string, history: History): void {
    this.#entries.delete(id);
    this.#entries.set(id, history);
    if (this.#entries.size > this.#max) this.#entries.delete(this.#entries.keys().next().value as string);
  }
}
