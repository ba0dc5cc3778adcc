import type { JsonObject } from '../json-value.js';
import type { EventView, SpanView } from './span-view.js';

/** A decoded span for reader tests: attributes as plain values. */
export function view(attributes: JsonObject, events: EventView[] = [], name = 'span'): SpanView {
  return { name, attributes, events, resource: {} };
}
