/** A ShareGPT conversation with its oracle label in meta.label. */
export interface GeneratedConversation {
  id: string;
  messages: { from: string; value: string }[];
  meta: { label: 'yes' | 'no' };
}
export function seeded(seed: number): () => number;
export function oracle(text: string): 'yes' | 'no';
export function generatedConversations(n: number, seed?: number, share?: number): GeneratedConversation[];
