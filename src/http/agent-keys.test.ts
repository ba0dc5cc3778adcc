import { createHash } from 'node:crypto';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { callerVerifier, parseAgentKeys, scopeOf } from './agent-keys.js';
import { configFromEnv } from './config.js';

const sha = (key: string) => createHash('sha256').update(key).digest('hex');

describe('SIGNALS_AGENT_KEYS', () => {
  it('reads AGENT=sha256:HEX entries separated by commas or lines, several keys an agent', () => {
    const keys = parseAgentKeys(`support=sha256:${sha('a')},\n billing=sha256:${sha('b').toUpperCase()}\nsupport=sha256:${sha('c')}`);
    expect(keys.map((k) => k.agent)).toEqual(['support', 'billing', 'support']);
    expect(Buffer.from(keys[1].sha256).toString('hex')).toBe(sha('b'));
  });

  it('stops the start on a malformed entry, naming its position and never its text', () => {
    expect(() => parseAgentKeys(`support=sha256:${sha('a')},billing=plain-secret-key`)).toThrow(/^SIGNALS_AGENT_KEYS entry 2 is not AGENT=sha256:HEX/);
    expect(() => parseAgentKeys('billing=plain-secret-key')).not.toThrow(/plain-secret-key/);
    expect(() => parseAgentKeys(`=sha256:${sha('a')}`)).toThrow(/entry 1/);
  });

  it('stops the start on an agent name with invisible characters, odd white space or not in NFKC form (a look-alike)', () => {
    for (const name of ['shop\u200b', '\u202eshop', 'sh\u00a0op', 'cafe\u0301', '\u200b', '\uff53hop', '\ufb01nance']) {
      expect(() => parseAgentKeys(`support=sha256:${sha('a')},${name}=sha256:${sha('b')}`), JSON.stringify(name)).toThrow(/^SIGNALS_AGENT_KEYS entry 2: the agent's name holds invisible characters/);
    }
    // Letters of scripts drawn alike: the scripts are named, never the entry's text.
    expect(() => parseAgentKeys(`p\u0430ypal=sha256:${sha('a')}`)).toThrow("SIGNALS_AGENT_KEYS entry 1: the agent's name mixes Latin and Cyrillic letters, which are drawn alike (it would be taken for another agent's name): write it in one script");
    expect(parseAgentKeys(`\u0431\u0430\u043d\u043a=sha256:${sha('a')}`).map((k) => k.agent)).toEqual(['\u0431\u0430\u043d\u043a']);
    // White space around an entry's name is the entry's, as before.
    expect(parseAgentKeys(` caf\u00e9 =sha256:${sha('a')}`).map((k) => k.agent)).toEqual(['caf\u00e9']);
  });

  it('needs the operator token (without it every route is open)', () => {
    expect(() => configFromEnv({ SIGNALS_AGENT_KEYS: `support=sha256:${sha('a')}` })).toThrow(/SIGNALS_AGENT_KEYS needs SIGNALS_API_TOKEN/);
    expect(configFromEnv({ SIGNALS_API_TOKEN: 'op', SIGNALS_AGENT_KEYS: `support=sha256:${sha('a')}` }).agentKeys).toHaveLength(1);
  });

  it('the operator token has no scope, a key its agent, anything else is refused', async () => {
    const verify = callerVerifier('operator', parseAgentKeys(`support=sha256:${sha('support-key')},billing=sha256:${sha('billing-key')}`));
    const app = new Hono();
    app.get('/', async (c) => {
      const ok = await verify(c.req.header('x-token') ?? '', c);
      return c.json({ ok, scope: scopeOf(c) ?? null });
    });
    const as = async (token: string) => (await app.request('/', { headers: { 'x-token': token } })).json();
    expect(await as('operator')).toEqual({ ok: true, scope: null });
    expect(await as('billing-key')).toEqual({ ok: true, scope: { agent: 'billing' } });
    expect(await as('support-key')).toEqual({ ok: true, scope: { agent: 'support' } });
    expect(await as(sha('support-key'))).toEqual({ ok: false, scope: null });
    expect(await as('')).toEqual({ ok: false, scope: null });
  });
});
