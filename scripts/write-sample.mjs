#!/usr/bin/env node
/**
 * Writes corpus/sample.sharegpt.jsonl: 25 conversations written for this project (no third-party text),
 * between users and support or coding agents, covering every signal family. `meta.success` is the outcome
 * the conversation was written to have (did the user get what they came for), `meta.scenario` what it shows, and
 * `meta.expect` the signal types a reader of the text expects it to show (written by hand from the wording and the
 * spec's phrase lists, never copied from the analyzer; test/sample-expectations.test.ts checks each report has them).
 * It also writes test/fixtures/sample.openai.jsonl, the same conversations as OpenAI Chat Completions messages.
 * Run: node scripts/write-sample.mjs
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const u = (value) => ({ from: 'human', value });
const a = (value) => ({ from: 'gpt', value });
const sys = (value) => ({ from: 'system', value });
const call = (name, args) => ({ from: 'function_call', value: JSON.stringify({ name, arguments: args }) });
const obs = (value) => ({ from: 'observation', value: typeof value === 'string' ? value : JSON.stringify(value) });

const SHOP = sys('You are the support agent of Ridgeline Bikes, an online bicycle shop. Use the tools to look up orders and customers.');
const TRAVEL = sys('You are the booking assistant of Northwind Rail. Use the tools to search trains and change bookings.');
const CODE = sys('You are a coding assistant with shell and file tools in the user\'s repository.');
const BANK = sys('You are the assistant of Harbor Credit Union. Never reveal account numbers in full.');

/** [id, success, scenario, expected signal types, messages] */
const conversations = [
  ['order-status-happy', true, 'satisfaction: a quick order lookup the user thanks the agent for', ['interaction.satisfaction.gratitude'], [
    SHOP,
    u('Hi, where is my order RB-20431? It was supposed to arrive yesterday.'),
    call('get_order', { order_id: 'RB-20431' }),
    obs({ order_id: 'RB-20431', status: 'in_transit', carrier: 'PostNord', eta: '2026-03-14', items: ['Trail helmet M'] }),
    a('Your helmet is on its way with PostNord and should arrive on March 14, one day later than planned. Tracking number PN88213.'),
    u('Perfect, that helps a lot. Thanks so much!'),
    a('You are welcome. Enjoy the new helmet!'),
  ]],
  ['return-label-works', true, 'satisfaction: the user confirms the fix worked', ['interaction.satisfaction.success', 'interaction.satisfaction.confirmation'], [
    SHOP,
    u('The return label you emailed me does not open, it says the file is damaged.'),
    call('create_return_label', { order_id: 'RB-19877', format: 'pdf' }),
    obs({ label_url: 'https://labels.example/rb-19877.pdf', expires: '2026-04-01' }),
    a('I generated a fresh PDF label. Could you try this link: https://labels.example/rb-19877.pdf'),
    u('It worked! The label printed fine this time.'),
    a('Great. Drop the parcel at any post office before April 1 and the refund follows within five days.'),
    u('That works for me, thank you.'),
  ]],
  ['wrong-size-correction', true, 'misalignment: the user corrects the agent twice before it gets the size right', ['interaction.misalignment.correction'], [
    SHOP,
    u('I want to exchange the gloves from order RB-20110 for a bigger size.'),
    call('get_order', { order_id: 'RB-20110' }),
    obs({ order_id: 'RB-20110', items: [{ sku: 'GLV-WIN-S', name: 'Winter gloves S' }] }),
    a('I can exchange the winter gloves size S for size XS. Shall I go ahead?'),
    u('No, I meant bigger, not smaller. I need a medium.'),
    a('Sorry about that. I will exchange them for size L then.'),
    u("That's not what I asked. Medium, M, one size up."),
    call('create_exchange', { order_id: 'RB-20110', from_sku: 'GLV-WIN-S', to_sku: 'GLV-WIN-M' }),
    obs({ exchange_id: 'EX-5521', status: 'created' }),
    a('Done: exchange EX-5521 swaps your size S gloves for size M. A prepaid label is in your inbox.'),
    u('OK, thanks.'),
  ]],
  ['unclear-warranty', false, 'misalignment: the user does not understand the answer and rephrases', ['interaction.misalignment.clarification', 'interaction.misalignment.rephrase', 'interaction.disengagement.quit'], [
    SHOP,
    u('Is the frame of my Ridgeline Atlas covered by the warranty if it cracked in a crash?'),
    a('Warranty coverage follows clause 4.2 subsection b of the terms, excluding consequential events as per annex C.'),
    u("What do you mean? I'm confused, is it covered or not?"),
    a('Coverage is determined by the applicable terms and the nature of the incident as assessed.'),
    u('Let me rephrase: will you repair my cracked frame for free, yes or no?'),
    a('I cannot determine that without an assessment of the incident.'),
    u('Forget it, I will call the store.'),
  ]],
  ['refund-escalation', false, 'disengagement: the user asks for a human after a refund goes nowhere', ['interaction.disengagement.escalation'], [
    SHOP,
    u('I returned my e-bike battery three weeks ago and still have no refund.'),
    call('get_return', { return_id: 'RT-3310' }),
    obs({ return_id: 'RT-3310', status: 'received', refund: 'pending_review' }),
    a('Your return was received and the refund is pending review.'),
    u('It has been pending for three weeks. When will I get my 420 euros back?'),
    a('The refund is pending review. Reviews usually complete in time.'),
    u('This is ridiculous. I want to speak to a manager, please transfer me to a real person.'),
    a('I will transfer you to a human agent.'),
  ]],
  ['rage-and-quit', false, 'disengagement: shouting, a complaint, then the user gives up', ['interaction.disengagement.negative_stance', 'interaction.disengagement.quit'], [
    SHOP,
    u('My order was cancelled without any email. Why?'),
    call('get_order', { order_id: 'RB-20002' }),
    obs({ order_id: 'RB-20002', status: 'cancelled', reason: 'payment_failed' }),
    a('The order was cancelled automatically.'),
    u('WHY WAS IT CANCELLED??? I WAS CHARGED!!!'),
    a('The order status is cancelled.'),
    u('This is useless. You are not helping at all.'),
    a('I understand your frustration. The order is cancelled.'),
    u('I give up. Never ordering here again.'),
  ]],
  ['seat-search-dragging', true, 'stagnation: a booking that takes many turns before it is done', ['interaction.stagnation.dragging'], [
    TRAVEL,
    u('I need a train from Leeds to Bristol on Friday.'),
    a('What time would you like to leave?'),
    u('In the morning.'),
    a('Early morning or late morning?'),
    u('Around nine.'),
    a('Standard or first class?'),
    u('Standard.'),
    a('One way or return?'),
    u('Return, coming back Sunday.'),
    a('What time on Sunday?'),
    u('Afternoon, around three.'),
    a('Do you have a railcard?'),
    u('Yes, a 16-25 railcard.'),
    a('Window or aisle seat?'),
    u('Window.'),
    a('Forward or backward facing?'),
    u('Forward, please.'),
    call('search_trains', { from: 'LDS', to: 'BRI', date: '2026-03-13', time: '09:00', return: '2026-03-15T15:00', railcard: '16-25' }),
    obs({ outbound: '09:05 LDS-BRI', inbound: '15:10 BRI-LDS', price: '£64.30' }),
    a('Outbound 09:05, return Sunday 15:10, £64.30 with your railcard. Shall I book it?'),
    u('Yes, book it.'),
    call('book', { outbound: '09:05 LDS-BRI', inbound: '15:10 BRI-LDS', seat: 'window-forward' }),
    obs({ booking: 'NW-77120', status: 'confirmed' }),
    a('Booked: NW-77120.'),
    u('Finally. Thanks.'),
  ]],
  ['repeated-question', false, 'stagnation: the user repeats the same question and the agent repeats itself', ['interaction.stagnation.repetition', 'interaction.misalignment.rephrase'], [
    TRAVEL,
    u('Can I bring my folding bike on the 18:40 to York?'),
    a('Bicycles may be carried subject to space and operator conditions.'),
    u('Can I bring my folding bike on the 18:40 train to York?'),
    a('Bicycles may be carried subject to space and operator conditions.'),
    u('Can I bring my folding bike on the 18:40 train to York tonight?'),
    a('Bicycles may be carried subject to space and operator conditions on this service.'),
    u('ok.'),
  ]],
  ['rebook-after-timeout', true, 'exhaustion: the booking service times out once, the retry works', ['environment.exhaustion.timeout', 'interaction.satisfaction.confirmation'], [
    TRAVEL,
    u('Please move my booking NW-65002 to the 14:00 train.'),
    call('change_booking', { booking: 'NW-65002', time: '14:00' }),
    obs('Error: request timed out after 30000 ms'),
    a('The booking system did not answer in time. Let me try once more.'),
    call('change_booking', { booking: 'NW-65002', time: '14:00' }),
    obs({ booking: 'NW-65002', departure: '14:00', status: 'changed' }),
    a('Your booking NW-65002 now departs at 14:00.'),
    u('Great, that works. Thank you!'),
  ]],
  ['rate-limited-search', false, 'exhaustion: the search API rate-limits the agent and the user leaves', ['environment.exhaustion.rate_limit'], [
    TRAVEL,
    u('Show me all trains from Glasgow to London tomorrow under £50.'),
    call('search_trains', { from: 'GLC', to: 'KGX', date: '2026-03-11', max_price: 50 }),
    obs('HTTP 429 Too Many Requests: rate limit exceeded, retry after 60 seconds'),
    a('The search service is busy. Trying again.'),
    call('search_trains', { from: 'GLC', to: 'KGX', date: '2026-03-11', max_price: 50 }),
    obs('HTTP 429 Too Many Requests: rate limit exceeded, retry after 60 seconds'),
    a('The search service is still limiting requests.'),
    u('Never mind, I will look on the website.'),
  ]],
  ['upstream-outage', false, 'exhaustion: a 503 and a network failure make the task impossible', ['environment.exhaustion.api_error', 'environment.exhaustion.network'], [
    TRAVEL,
    u('What is the platform for the 10:15 to Manchester?'),
    call('get_departure', { service: '10:15 MAN' }),
    obs('503 Service Unavailable: departures board is down for maintenance'),
    a('The departures board is temporarily unavailable.'),
    call('get_departure_cached', { service: '10:15 MAN' }),
    obs('connection refused: could not reach cache.internal:6379'),
    a('I cannot reach the departure data right now. Please check the screens at the station.'),
    u('Thanks for nothing.'),
  ]],
  ['bad-query-then-fix', true, 'failure: an invalid field in a query, corrected by the agent', ['execution.failure.bad_query', 'interaction.satisfaction.gratitude'], [
    BANK,
    u('How much did I spend on groceries in February?'),
    call('query_transactions', { filter: 'category == groceries', month: '2026-02', fields: ['amount', 'merchant_nme'] }),
    obs('Error: unknown field "merchant_nme" in fields'),
    call('query_transactions', { filter: 'category == groceries', month: '2026-02', fields: ['amount', 'merchant_name'] }),
    obs({ total: 412.87, currency: 'USD', count: 19 }),
    a('You spent $412.87 on groceries in February across 19 purchases.'),
    u('That helps, thanks!'),
  ]],
  ['invalid-args-transfer', false, 'failure: a transfer tool rejects missing and invalid arguments', ['execution.failure.invalid_args'], [
    BANK,
    u('Move 200 dollars from savings to checking.'),
    call('transfer', { amount: '200 dollars' }),
    obs('ValidationError: missing required argument "from_account"; "amount" must be a number'),
    a('I need to know which accounts. Moving from savings to checking.'),
    call('transfer', { amount: 'two hundred', from_account: 'savings', to_account: 'checking' }),
    obs('ValidationError: invalid argument "amount": expected number, got string'),
    a('The transfer could not be completed because of a system validation error.'),
    u('So did it go through or not?'),
    a('It did not go through.'),
  ]],
  ['auth-denied', false, 'failure: the agent lacks permission and the user is stuck', ['execution.failure.auth_misuse'], [
    BANK,
    u('Please raise my card limit to 5000.'),
    call('update_card_limit', { card: 'last4:2231', limit: 5000 }),
    obs('403 Forbidden: permission denied for scope cards.write'),
    a('I am not allowed to change card limits.'),
    u('Who can then?'),
    a('A branch advisor can change the limit. You can book an appointment in the app.'),
    u('Fine.'),
  ]],
  ['tool-not-found', true, 'failure: the agent calls a tool that does not exist', ['execution.failure.tool_not_found', 'interaction.satisfaction.gratitude'], [
    BANK,
    u('Can you freeze my debit card? I think I lost it.'),
    call('freeze_card', { card: 'debit' }),
    obs('Error: unknown tool freeze_card. Available tools: get_cards, block_card'),
    call('block_card', { card_id: 'dc-8812', reason: 'lost' }),
    obs({ card_id: 'dc-8812', status: 'blocked' }),
    a('Your debit card ending 8812 is now blocked. A replacement will be posted in 5 working days.'),
    u("You're the best, thank you."),
  ]],
  ['state-conflict', false, 'failure: the order cannot change state, the agent keeps trying', ['execution.failure.state_error'], [
    SHOP,
    u('Cancel order RB-20555, I ordered the wrong colour.'),
    call('cancel_order', { order_id: 'RB-20555' }),
    obs('409 Conflict: invalid state transition, order already shipped'),
    a('The order has already shipped, so it cannot be cancelled. You can return it once it arrives.'),
    u('Can you not stop the courier?'),
    call('recall_shipment', { order_id: 'RB-20555' }),
    obs('precondition failed: shipment already handed to carrier'),
    a('The parcel is already with the carrier. A free return is the fastest option.'),
    u('Alright.'),
  ]],
  ['retry-loop', false, 'loops: the same call with the same arguments, four times', ['execution.loops.retry'], [
    CODE,
    u('Run the unit tests and tell me what fails.'),
    call('run_shell', { command: 'npm test' }),
    obs('npm ERR! could not determine executable to run'),
    call('run_shell', { command: 'npm test' }),
    obs('npm ERR! could not determine executable to run'),
    call('run_shell', { command: 'npm test' }),
    obs('npm ERR! could not determine executable to run'),
    call('run_shell', { command: 'npm test' }),
    obs('npm ERR! could not determine executable to run'),
    a('The test command keeps failing to start.'),
    u('Did you even run npm install first?'),
  ]],
  ['parameter-drift', false, 'loops: the same search tool with drifting arguments', ['execution.loops.parameter_drift'], [
    CODE,
    u('Find where the retry delay is configured.'),
    call('grep', { pattern: 'retryDelay', path: 'src' }),
    obs('no matches'),
    call('grep', { pattern: 'retry_delay', path: 'src' }),
    obs('no matches'),
    call('grep', { pattern: 'RETRY', path: 'src' }),
    obs('no matches'),
    call('grep', { pattern: 'delay', path: 'lib' }),
    obs('lib/http.js:42: const backoff = { delayMs: 250 }'),
    a('The retry delay is `backoff.delayMs` in lib/http.js line 42 (250 ms).'),
    u('Got it.'),
  ]],
  ['oscillation', false, 'loops: the agent alternates between two tools without progress', ['execution.loops.oscillation'], [
    CODE,
    u('Fix the lint errors in src/app.ts.'),
    call('read_file', { path: 'src/app.ts' }),
    obs('export const x = 1'),
    call('run_lint', { path: 'src/app.ts' }),
    obs('1 error: missing semicolon at 1:19'),
    call('read_file', { path: 'src/app.ts' }),
    obs('export const x = 1'),
    call('run_lint', { path: 'src/app.ts' }),
    obs('1 error: missing semicolon at 1:19'),
    call('read_file', { path: 'src/app.ts' }),
    obs('export const x = 1'),
    call('run_lint', { path: 'src/app.ts' }),
    obs('1 error: missing semicolon at 1:19'),
    a('There is a lint error about a missing semicolon.'),
    u('Yes, I know. Why did you not fix it?'),
  ]],
  ['context-overflow', true, 'exhaustion: a huge file overflows the model context', ['environment.exhaustion.context_overflow', 'interaction.satisfaction.gratitude'], [
    CODE,
    u('Summarise what changed in the last release from CHANGELOG.md.'),
    call('read_file', { path: 'CHANGELOG.md' }),
    obs('Error: context length exceeded: the request has 214000 tokens, maximum context length is 128000 tokens'),
    a('The changelog is too long for me to read in one go. Shall I read only the latest section?'),
    u('Yes, only the top section.'),
    call('read_file', { path: 'CHANGELOG.md', lines: '1-80' }),
    obs('## 3.2.0\n- New export command\n- Faster start-up\n- Fixed a crash on empty config'),
    a('Release 3.2.0 added an export command, made start-up faster and fixed a crash on empty config files.'),
    u('Thanks, that is exactly what I needed.'),
  ]],
  ['malformed-response', false, 'exhaustion: the tool answers garbage the agent cannot parse', ['environment.exhaustion.malformed_response'], [
    CODE,
    u('What version of the API client do we depend on?'),
    call('read_json', { path: 'package.json' }),
    obs('SyntaxError: Unexpected token } in JSON at position 412: malformed response from file service'),
    a('I could not parse package.json.'),
    u('It is a valid file, I just edited it. Try again.'),
    call('read_json', { path: 'package.json' }),
    obs('SyntaxError: Unexpected end of JSON input'),
    a('The file service still returns an unreadable response.'),
    u('Whatever.'),
  ]],
  ['code-fix-success', true, 'satisfaction: a bug fixed, the user reports it is working', ['interaction.satisfaction.confirmation'], [
    CODE,
    u('The date picker shows the wrong month, January shows as February.'),
    call('read_file', { path: 'src/date-picker.ts' }),
    obs('const month = date.getMonth() + 1;\nrender(MONTHS[month]);'),
    a('`getMonth()` is already zero-based, so adding 1 skips a month when indexing MONTHS. I will remove the `+ 1`.'),
    call('edit_file', { path: 'src/date-picker.ts', find: 'date.getMonth() + 1', replace: 'date.getMonth()' }),
    obs('ok: 1 replacement'),
    a('Fixed. Reload the page and check January.'),
    u('This is working now, January is January. Love it!'),
  ]],
  ['mixed-bag', false, 'several families at once: a failure, a correction, a repeated request and an escalation', ['execution.failure.invalid_args', 'interaction.misalignment.correction', 'environment.exhaustion.api_error', 'interaction.stagnation.repetition', 'interaction.disengagement.escalation'], [
    SHOP,
    u('I want to change the delivery address of order RB-20900 to 12 Elm Street.'),
    call('update_address', { order_id: 'RB-20900', address: '21 Elm Street' }),
    obs('invalid argument: address not found in postal database'),
    a('The address 21 Elm Street could not be validated.'),
    u('No, I said 12 Elm Street, not 21.'),
    call('update_address', { order_id: 'RB-20900', address: '12 Elm Street' }),
    obs('503 Service Unavailable'),
    a('The address service is unavailable at the moment.'),
    u('I want to change the delivery address of order RB-20900 to 12 Elm Street.'),
    a('The address service is unavailable at the moment.'),
    u('Let me talk to customer support, a human please.'),
  ]],
  ['neutral-faq', true, 'no signal: a plain question and answer', [], [
    SHOP,
    u('Do you ship to Norway?'),
    a('Yes, we ship to Norway. Delivery takes 4 to 6 working days and import VAT is charged at checkout.'),
    u('And is there a shipping fee?'),
    a('Shipping to Norway costs 19 euros, free above 300 euros.'),
  ]],
  ['plain-lookup', true, 'no signal: a tool lookup answered in one go', [], [
    BANK,
    u('What is my checking balance?'),
    call('get_balance', { account: 'checking' }),
    obs({ account: 'checking', balance: 1834.2, currency: 'USD' }),
    a('Your checking balance is $1,834.20.'),
    u('ok'),
  ]],
];

const lines = conversations.map(([id, success, scenario, expect, messages]) =>
  JSON.stringify({ id: `sample:${id}`, messages, meta: { source: 'agent-signals-sample', success, scenario, expect } }),
);
const out = fileURLToPath(new URL('../corpus/sample.sharegpt.jsonl', import.meta.url));
writeFileSync(out, `${lines.join('\n')}\n`);
console.log(`${lines.length} conversations written to ${out}`);

/** ShareGPT rows as Chat Completions messages: an assistant text and the tool calls after it form one message. */
function toOpenAI(messages) {
  const out = [];
  let calls = 0;
  for (const { from, value } of messages) {
    if (from === 'system') out.push({ role: 'system', content: value });
    else if (from === 'human') out.push({ role: 'user', content: value });
    else if (from === 'gpt') out.push({ role: 'assistant', content: value });
    else if (from === 'function_call') {
      const { name, arguments: args } = JSON.parse(value);
      const call = { id: `call_${++calls}`, type: 'function', function: { name, arguments: JSON.stringify(args) } };
      const last = out.at(-1);
      if (last?.role === 'assistant') (last.tool_calls ??= []).push(call);
      else out.push({ role: 'assistant', content: null, tool_calls: [call] });
    } else out.push({ role: 'tool', tool_call_id: `call_${calls}`, content: value });
  }
  return out;
}

const openai = conversations.map(([id, success, scenario, expect, messages]) =>
  JSON.stringify({ id: `sample:${id}`, messages: toOpenAI(messages), meta: { source: 'agent-signals-sample', success, scenario, expect } }),
);
const openaiOut = fileURLToPath(new URL('../test/fixtures/sample.openai.jsonl', import.meta.url));
writeFileSync(openaiOut, `${openai.join('\n')}\n`);
console.log(`${openai.length} conversations written to ${openaiOut}`);
