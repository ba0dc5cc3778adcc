import { coerceRow, readObservation, readTextEntry, type TextEntry } from './conversation.js';
import { Deque } from './deque.js';
import { misalignmentOf, type MisalignmentFinding } from './misalignment.js';
import { draggingSignal, repetitionSignal, repetitionsOf, turnMetrics, type RepetitionMatch } from './stagnation.js';
import { disengagementOf } from './disengagement.js';
import { satisfactionOf } from './satisfaction.js';
import { failureOf, failureSignal, type FailureFinding } from './failure.js';
import { LoopScanner } from './loops.js';
import { exhaustionOf } from './exhaustion.js';
import { parseToolCall, type ToolCall } from './tool-call.js';
import { buildReport, groupOf } from './aggregate.js';
import type { Settings } from './options.js';
import type { Message, Signal, SignalReport } from './types.js';

/** What one row contributes, worked out once when it arrives; indices are absolute. */
interface RowRecord {
  index: number;
  row: Message;
  call?: ToolCall;
  misalignment?: MisalignmentFinding;
  repetitions?: { human: boolean; matches: RepetitionMatch[] };
  disengagement?: Signal[];
  satisfaction?: Signal;
  failure?: { finding: FailureFinding; call: { index: number; jsonName: string } | undefined };
  exhaustion?: Signal;
}

function copy(signal: Signal): Signal {
  return { ...signal, metadata: { ...signal.metadata } };
}

/**
 * The analysis of the last `maxMessages` rows of a conversation, fed one row at a time. Both `analyze` and the
 * incremental analyzer run on it, so there is one implementation of every detector.
 *
 * Each row is read, normalized and matched once, on arrival (O(1) per row: the detectors look back a bounded
 * number of rows). What depends on where the window starts is settled in `report()`: a finding that points
 * at a row that has left the window is dropped, and indices are made slice-relative where the reference's
 * are. Only the loop scans restart with the window: once it slides, `report()` rescans the window's calls.
 */
export class WindowState {
  readonly settings: Settings;
  /** Rows seen, including the ones before the window. */
  #total: number;
  readonly #window = new Deque<RowRecord>();
  /** The window's rows that produced a finding, in order. */
  readonly #flagged = new Deque<RowRecord>();
  #userRows = 0;
  #assistantRows = 0;
  #previousHuman: TextEntry | undefined;
  readonly #lookback: Record<'human' | 'gpt', TextEntry[]> = { human: [], gpt: [] };
  #lastCall: { index: number; jsonName: string } | undefined;
  /** Loop scanner over the calls since `#scannerOffset`; dropped once the window slides. */
  #scanner: LoopScanner | undefined = new LoopScanner();
  readonly #scannerOffset: number;
  /** Whether rows can leave the window (else the first match of a repetition is all that can matter). */
  readonly #slides: boolean;

  /**
   * A window whose first row will be row `offset` of the conversation. `slides: false` promises that no more
   * than `maxMessages` rows will be pushed (as `analyze` does), which saves work the sliding needs.
   */
  constructor(settings: Settings, offset: number, slides: boolean) {
    this.settings = settings;
    this.#total = offset;
    this.#scannerOffset = offset;
    this.#slides = slides && settings.maxMessages !== Infinity;
  }

  /** Rows seen. */
  get total(): number {
    return this.#total;
  }

  /** Index of the window's first row. */
  get offset(): number {
    return this.#total - this.#window.length;
  }

  /** The window's rows, coerced to `{from, value}` strings. */
  rows(): Message[] {
    return [...this.#window].map((r) => ({ from: r.row.from, value: r.row.value }));
  }

  /** Adds the next row (anything: a malformed row reads as empty strings, as in `analyze`). */
  push(input: unknown): void {
    const row = coerceRow(input);
    const record: RowRecord = { index: this.#total++, row };
    this.#window.push(record);
    this.#count(row, 1);
    if (this.#window.length > this.settings.maxMessages) {
      if (!this.#slides) throw new Error('WindowState: more rows than maxMessages in a window that does not slide');
      this.#dropFirst();
    }
    if (this.#read(record)) this.#flagged.push(record);
  }

  #count(row: Message, delta: number): void {
    if (row.from === 'human') this.#userRows += delta;
    else if (row.from === 'gpt') this.#assistantRows += delta;
  }

  #dropFirst(): void {
    const dropped = this.#window.shift() as RowRecord;
    this.#count(dropped.row, -1);
    if (this.#flagged.first() === dropped) this.#flagged.shift();
    this.#scanner = undefined;
  }

  /** Runs the per-row detectors; true when the row found anything. */
  #read(record: RowRecord): boolean {
    const { row, index } = record;
    const settings = this.settings;
    if (row.from === 'function_call') {
      const call = parseToolCall(row.value, index);
      record.call = call;
      this.#lastCall = { index, jsonName: call.jsonName };
      this.#scanner?.push({ ...call, index: index - this.#scannerOffset });
      return false;
    }
    if (row.from === 'observation') {
      const observation = readObservation(row.value);
      const finding = failureOf(observation, settings);
      if (finding) record.failure = { finding, call: this.#lastCall };
      record.exhaustion = exhaustionOf(observation, settings);
      return finding !== undefined || record.exhaustion !== undefined;
    }
    if ((row.from !== 'human' && row.from !== 'gpt') || row.value === '') return false;
    const entry = readTextEntry(row, index, settings);
    if (entry.human) {
      record.misalignment = misalignmentOf(entry, this.#previousHuman, settings);
      const disengagement = disengagementOf(entry, settings);
      if (disengagement.length > 0) record.disengagement = disengagement;
      record.satisfaction = satisfactionOf(entry);
      this.#previousHuman = entry;
    }
    const earlier = this.#lookback[entry.human ? 'human' : 'gpt'];
    const matches = repetitionsOf(entry, earlier, settings, !this.#slides);
    if (matches.length > 0) record.repetitions = { human: entry.human, matches };
    earlier.push(entry);
    // Only the last `lookback` messages of a role are compared again: drop the rest and their trigram sets.
    if (earlier.length > settings.repetitionLookback) {
      const dropped = earlier.shift();
      if (dropped) dropped.message.trigrams = undefined;
    }
    return !!(record.misalignment || record.disengagement || record.satisfaction || record.repetitions);
  }

  /** The report of the window as it stands: O(findings in the window), plus the window's calls once it has slid. */
  report(): SignalReport {
    const settings = this.settings;
    const offset = this.offset;
    const last = this.#window.length - 1;
    const metrics = turnMetrics(this.#userRows, this.#assistantRows, settings);
    const misalignment: Signal[] = [];
    const stagnation: Signal[] = [];
    const disengagement: Signal[] = [];
    const satisfaction: Signal[] = [];
    const failure: Signal[] = [];
    const exhaustion: Signal[] = [];
    const dragging = draggingSignal(metrics, offset + last, settings);
    if (dragging) stagnation.push(dragging);
    for (const r of this.#flagged) {
      const m = r.misalignment;
      if (m && (m.comparedTo === undefined || m.comparedTo >= offset)) misalignment.push(copy(m.signal));
      const match = r.repetitions?.matches.find((c) => c.comparedTo >= offset);
      if (match) stagnation.push(repetitionSignal(r.index, r.repetitions?.human ?? false, match, offset, last));
      if (r.disengagement) disengagement.push(...r.disengagement.map(copy));
      if (r.satisfaction) satisfaction.push(copy(r.satisfaction));
      if (r.failure) {
        const call = r.failure.call && r.failure.call.index >= offset ? { index: r.failure.call.index - offset, jsonName: r.failure.call.jsonName } : undefined;
        failure.push(failureSignal(r.failure.finding, r.index - offset, call));
      }
      if (r.exhaustion) exhaustion.push({ ...copy(r.exhaustion), message_index: r.index - offset });
    }
    return buildReport(
      {
        misalignment: groupOf('misalignment', misalignment),
        stagnation: groupOf('stagnation', stagnation),
        disengagement: groupOf('disengagement', disengagement),
        satisfaction: groupOf('satisfaction', satisfaction),
        failure: groupOf('failure', failure),
        loops: groupOf('loops', this.#loopSignals(offset)),
        exhaustion: groupOf('exhaustion', exhaustion),
      },
      metrics,
      settings,
    );
  }

  #loopSignals(offset: number): Signal[] {
    if (this.#scanner) return this.#scanner.signals();
    const scanner = new LoopScanner();
    for (const r of this.#window) if (r.call) scanner.push({ ...r.call, index: r.index - offset });
    return scanner.signals();
  }
}
