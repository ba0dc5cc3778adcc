/** Webhook signatures: `sha256=<hex HMAC-SHA256 of the body>` with the channel's secret (Web Crypto). */

const encoder = new TextEncoder();

/** The `X-Signals-Signature` header value for `body`. */
export async function signatureHeader(secret: string, body: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(body)));
  let hex = '';
  for (const b of mac) hex += b.toString(16).padStart(2, '0');
  return `sha256=${hex}`;
}
