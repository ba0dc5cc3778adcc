/**
 * The `OTEL_EXPORTER_OTLP_HEADERS` syntax (`key1=value1,key2=value2`, W3C Baggage style: values URL-encoded),
 * used by `SIGNALS_FORWARD_HEADERS`.
 */

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * Parses `text` into header names (lowercased) and URL-decoded values. Throws, naming `setting`, on an entry
 * without `=`, a name that is not an HTTP token or a value that is not valid percent-encoding, so a typo
 * fails at start-up rather than on every forwarded export.
 */
export function parseHeaderList(setting: string, text: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  if (text === undefined) return headers;
  for (const entry of text.split(',')) {
    if (entry.trim() === '') continue;
    const eq = entry.indexOf('=');
    const name = (eq < 0 ? entry : entry.slice(0, eq)).trim();
    if (eq < 0 || !TOKEN.test(name)) throw new Error(`${setting}: expected key=value pairs separated by commas, got "${entry.trim()}"`);
    let value: string;
    try {
      value = decodeURIComponent(entry.slice(eq + 1).trim());
    } catch {
      throw new Error(`${setting}: the value of "${name}" is not valid URL encoding`);
    }
    if (/[\r\n\0]/.test(value)) throw new Error(`${setting}: the value of "${name}" contains a line break or NUL`);
    headers[name.toLowerCase()] = value;
  }
  return headers;
}
