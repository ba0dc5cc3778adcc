/** The traces list (`#/traces`): the explorer's list of ./sessions.ts over traces, each with its session. A piece of the dashboard script (see ../client.ts). */
export const TRACES_VIEW = String.raw`
ROUTES.traces = function (rest, params) { return trafficView("trace", params); };
`;
