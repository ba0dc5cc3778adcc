/**
 * Node only: registers `dns.lookup` (every address, as the connection would see them) as the outbound policy's
 * resolver, so a host name that resolves to a private or loopback address is refused. Imported for its effect by
 * the Node entry points (CLI, `node dist/http/node.js`, the Node service runner); never by Workers code.
 */
import { lookup } from 'node:dns/promises';
import { registerResolver } from './policy.js';

registerResolver(async (host) => (await lookup(host, { all: true, verbatim: true })).map((a) => a.address));
