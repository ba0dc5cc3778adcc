/** A recorder of raw exports (JSON bodies by path), to look at what a package really sends. */
import { createServer } from 'node:http';

export async function startCapture() {
  const bodies = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body = text;
      try { body = JSON.parse(text); } catch {}
      bodies.push({ path: req.url, contentType: req.headers['content-type'], body });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${server.address().port}`, bodies, close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(() => r()); }) };
}
