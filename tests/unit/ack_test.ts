/** NLMSG_ERROR / NLMSG_DONE decoding with extended acks, and NetlinkError. */
import { deepStrictEqual, equal, ok } from "node:assert/strict";
import { parseDone, parseError } from "../../src/core/ack.ts";
import { NetlinkError, ValidationError } from "../../src/core/errors.ts";
import { NLM_F } from "../../src/core/header.ts";
import { MessageWriter } from "../../src/core/writer.ts";

/** An NLMSG_ERROR for `request` with errno `err` and ext-ack TLVs, as a capped kernel sends it. */
function errorMessage(request: Uint8Array, err: number, message?: string, offset?: number): Uint8Array {
  const w = new MessageWriter();
  const flags = NLM_F.CAPPED | (message || offset !== undefined ? NLM_F.ACK_TLVS : 0);
  const m = w.beginMessage(2, flags);
  w.u32(-err >>> 0);
  w.raw(request.subarray(0, 16));
  if (message) w.attrString(1, message);
  if (offset !== undefined) w.attrU32(2, offset);
  w.endMessage(m);
  return w.bytes().slice();
}

function request(): Uint8Array {
  const w = new MessageWriter();
  const m = w.beginMessage(24, 0x605);
  w.zeros(12);
  w.attrU32(5, 0x0200000a); // RTA_GATEWAY at offset 28
  w.endMessage(m);
  return w.bytes().slice();
}

Deno.test("an error with message and offending attribute", () => {
  const req = request();
  const msg = errorMessage(req, 101, "Nexthop has invalid gateway", 28);
  const v = new DataView(msg.buffer);
  const { errno, error } = parseError(msg, v, 0, msg.length, v.getUint16(6, true), req, "addRoute 10.0.0.0/24");
  equal(errno, 101);
  ok(error instanceof NetlinkError);
  equal(error.code, "ENETUNREACH");
  equal(error.extAck?.message, "Nexthop has invalid gateway");
  deepStrictEqual(error.extAck?.attribute, { type: 5, offset: 28, length: 8 });
  equal(error.operation, "addRoute 10.0.0.0/24");
  equal(error.message, "addRoute 10.0.0.0/24: Network is unreachable (ENETUNREACH): Nexthop has invalid gateway");
  ok(error.isUnreachable());
});

Deno.test("an ack is errno 0", () => {
  const req = request();
  const msg = errorMessage(req, 0);
  const v = new DataView(msg.buffer);
  deepStrictEqual(parseError(msg, v, 0, msg.length, v.getUint16(6, true), req, "x"), { errno: 0 });
});

Deno.test("an ack with an extended-ack message is a warning", () => {
  const req = request();
  const msg = errorMessage(req, 0, "sch_htb: quantum of class 10005 is small. Consider r2q change.");
  const v = new DataView(msg.buffer);
  deepStrictEqual(parseError(msg, v, 0, msg.length, v.getUint16(6, true), req, "x"), {
    errno: 0,
    warning: "sch_htb: quantum of class 10005 is small. Consider r2q change.",
  });
});

Deno.test("NLMSG_DONE carries a dump's error", () => {
  const w = new MessageWriter();
  const m = w.beginMessage(3, NLM_F.MULTI | NLM_F.ACK_TLVS);
  w.u32(-22 >>> 0);
  w.attrString(1, "Invalid values in header for dump request");
  w.endMessage(m);
  const b = w.bytes();
  const v = new DataView(b.buffer);
  const err = parseDone(b, v, 0, b.length, v.getUint16(6, true), undefined, "getRoutes");
  equal(err?.code, "EINVAL");
  equal(err?.extAck?.message, "Invalid values in header for dump request");
});

Deno.test("predicates", () => {
  const e = (n: number) => NetlinkError.fromErrno(n);
  ok(e(2).isNotFound() && e(19).isNotFound() && e(19).isNoDevice());
  ok(e(17).isExists());
  ok(e(1).isPermission() && e(13).isPermission());
  ok(e(16).isBusy());
  ok(e(22).isInvalid());
  ok(e(95).isNotSupported() && e(524).isNotSupported());
  ok(e(105).isOverrun());
  ok(e(110).isTimeout());
  equal(e(524).code, "ENOTSUPP");
  equal(e(17).reason, "File exists");
  const v = new ValidationError("mtu", -1, "must be a u32");
  ok(v instanceof NetlinkError && v.isInvalid());
  equal(v.message, "invalid mtu: -1 (must be a u32)");
});
