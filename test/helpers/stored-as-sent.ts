// Rows as a version before agent names had one stored form wrote them: a store may hold names with invisible
// characters from then, and every view must still show them apart.
import type { CapturedSpan } from '../../src/formats/captured-span.js';
import { spanStatements } from '../../src/store/traffic.js';
import type { Store } from '../../src/store/types.js';

/** Stores `spans` with their agent names as sent (what ingest did before `storableAgent`). */
export async function storeAsSent(store: Store, spans: CapturedSpan[], now: number): Promise<void> {
  await store.batch((await spanStatements(store, spans, now)).statements);
}
