// The dashboard's side of bench/service.mjs's responsiveness part, on a thread of its own: GETs `paths` of the service
// at `url` one after another (each path its own loop, waiting `everyMs` between requests) until told to stop, then
// answers with every request's time in ms. On the bench's main thread the timings also held that thread's own stalls
// (copying and sending 4 MB exports: p99 ~14 ms, max ~40 ms), which a dashboard in a browser does not share.
import { parentPort, workerData } from 'node:worker_threads';

const { url, paths } = workerData;
let stop = false;
parentPort.once('message', () => (stop = true));
const times = await Promise.all(
  paths.map(async ({ path, everyMs }) => {
    const into = [];
    while (!stop) {
      const t = performance.now();
      const r = await fetch(url + path);
      await r.arrayBuffer();
      into.push(performance.now() - t);
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
    return into;
  }),
);
parentPort.postMessage(times);
