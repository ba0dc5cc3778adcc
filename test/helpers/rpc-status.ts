import { BinaryReader } from '@bufbuild/protobuf/wire';

/** Reads a protobuf `google.rpc.Status` (field 1 code, field 2 message), as an OTLP/protobuf client sees an error body. */
export function rpcStatus(bytes: Uint8Array): { code: number; message: string } {
  const r = new BinaryReader(bytes);
  const out = { code: 0, message: '' };
  while (r.pos < r.len) {
    const [no, type] = r.tag();
    if (no === 1) out.code = r.int32();
    else if (no === 2) out.message = r.string();
    else r.skip(type, no);
  }
  return out;
}
