/**
 * OTLP/HTTP answers in protobuf: `ExportTraceServiceResponse` (opentelemetry-proto
 * `collector/trace/v1/trace_service.proto`) and the `google.rpc.Status` body of 4xx/5xx answers the OTLP/HTTP
 * spec requires for protobuf requests.
 */
import { BinaryReader, BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
import type { ExportTraceResponseJson } from './types.js';

/** Encodes `{}` or `{partialSuccess:{rejectedSpans,errorMessage}}` as protobuf bytes. */
export function encodeExportTraceResponse(response: ExportTraceResponseJson): Uint8Array {
  const w = new BinaryWriter();
  const partial = response.partialSuccess;
  if (partial !== undefined) {
    w.tag(1, WireType.LengthDelimited).fork();
    if (partial.rejectedSpans !== undefined) w.tag(1, WireType.Varint).int64(partial.rejectedSpans);
    if (partial.errorMessage !== undefined) w.tag(2, WireType.LengthDelimited).string(partial.errorMessage);
    w.join();
  }
  return w.finish();
}

/** Decodes `ExportTraceServiceResponse` bytes; throws on malformed protobuf. */
export function decodeExportTraceResponse(bytes: Uint8Array): ExportTraceResponseJson {
  const response: ExportTraceResponseJson = {};
  const reader = new BinaryReader(bytes);
  while (reader.pos < reader.len) {
    const [no, wireType] = reader.tag();
    if (no !== 1 || wireType !== WireType.LengthDelimited) {
      reader.skip(wireType, no);
      continue;
    }
    const partial: NonNullable<ExportTraceResponseJson['partialSuccess']> = {};
    const inner = new BinaryReader(reader.bytes());
    while (inner.pos < inner.len) {
      const [field, type] = inner.tag();
      if (field === 1 && type === WireType.Varint) partial.rejectedSpans = Number(inner.int64());
      else if (field === 2 && type === WireType.LengthDelimited) partial.errorMessage = inner.string();
      else inner.skip(type, field);
    }
    response.partialSuccess = partial;
  }
  return response;
}

/** gRPC status codes for the HTTP statuses this service answers with (OTLP/HTTP maps them back). */
function grpcCode(httpStatus: number): number {
  if (httpStatus === 400 || httpStatus === 413 || httpStatus === 415) return 3; // INVALID_ARGUMENT
  if (httpStatus === 401) return 16; // UNAUTHENTICATED
  if (httpStatus === 404) return 5; // NOT_FOUND
  if (httpStatus === 429) return 8; // RESOURCE_EXHAUSTED
  if (httpStatus === 504) return 4; // DEADLINE_EXCEEDED
  if (httpStatus === 502 || httpStatus === 503) return 14; // UNAVAILABLE
  return 2; // UNKNOWN
}

/** A `google.rpc.Status` (code = 1, message = 2) for an error answer to a protobuf request. */
export function encodeRpcStatus(httpStatus: number, message: string): Uint8Array {
  return new BinaryWriter().tag(1, WireType.Varint).int32(grpcCode(httpStatus)).tag(2, WireType.LengthDelimited).string(message).finish();
}
