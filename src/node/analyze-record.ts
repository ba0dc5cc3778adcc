// The per-record work lives in src/records/ (pure, shared with the HTTP batch endpoint).
export * from '../records/analyze-record.js';
