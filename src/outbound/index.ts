/** The outbound policy (see policy.ts): one check and one fetch for every call the service makes on its own. */
export {
  checkDestination,
  NO_ALLOW,
  outboundAllowFromEnv,
  outboundFetch,
  OutboundError,
  parseOutboundAllow,
  registerResolver,
  urlProblem,
  type OutboundAllow,
  type OutboundOptions,
  type Resolver,
} from './policy.js';
export { classify, parseIp, type AddressClass } from './address.js';
