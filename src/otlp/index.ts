/**
 * `agent-signals/otlp`: OTLP trace exports in pure JS (Workers, browsers, Node): the protobuf codec of
 * `ExportTraceServiceRequest` / `ExportTraceServiceResponse` to and from the OTLP/JSON shape, and the validator
 * that turns any parsed OTLP/JSON into that canonical shape or names the path of its first problem.
 */
export { decodeExportLogsRequest, decodeExportTraceRequest } from './proto-decode.js';
export { encodeExportTraceRequest } from './proto-encode.js';
export { decodeExportTraceResponse, encodeExportTraceResponse, encodeRpcStatus } from './proto-response.js';
export { OtlpShapeError, pathText, type PathStep } from './path.js';
export { validateExport, validateLogsExport, type RejectedLogRecord, type RejectedSpan, type ValidatedExport, type ValidatedLogsExport } from './validate.js';
export * from './types.js';
