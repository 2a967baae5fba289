/**
 * SCTP entries of a sock_diag dump, built byte for byte as net/sctp/diag.c
 * fills them (this host's kernel has no SCTP; the VM lane's kernel test sees
 * real ones): an endpoint, then its association with peers and sctp_info.
 * Decoded by the library, then printed as ss's sctp_show_info does.
 */
import { deepStrictEqual as assertEquals } from "node:assert/strict";
import type { MessageView } from "../../src/core/message.ts";
import { inetSocketDecoder } from "../../src/sockdiag/inet.ts";
import { INET_DIAG_MSG, SCTP_INFO } from "../../src/sockdiag/structs.ts";
import { parseIPv4, parseIPv6 } from "../../src/util/addr.ts";
import { associationStateText, isAssociation, sctpInfoText } from "../../cli/ss/sctp.ts";
import type { SsContext } from "../../cli/ss/context.ts";

const AF_INET = 2, AF_INET6 = 10;
const INET_DIAG_INFO = 2, INET_DIAG_LOCALS = 12, INET_DIAG_PEERS = 13, INET_DIAG_SKMEMINFO = 7;

/** A sockaddr_storage (128 bytes) holding an IPv4 or IPv6 address and port. */
function sockaddr(address: string, port: number): Uint8Array {
  const b = new Uint8Array(128);
  const v = new DataView(b.buffer);
  const v6 = address.includes(":");
  v.setUint16(0, v6 ? AF_INET6 : AF_INET, true);
  v.setUint16(2, port, false);
  if (v6) b.set(parseIPv6(address)!, 8);
  else b.set(parseIPv4(address)!, 4);
  return b;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function attr(type: number, payload: Uint8Array): Uint8Array {
  const b = new Uint8Array((4 + payload.length + 3) & ~3);
  new DataView(b.buffer).setUint16(0, 4 + payload.length, true);
  new DataView(b.buffer).setUint16(2, type, true);
  b.set(payload, 4);
  return b;
}

/** One SOCK_DIAG_BY_FAMILY reply: inet_diag_msg for 10.0.0.1:5000 → `dst`, then `attrs`. */
function reply(state: number, dst: string, dport: number, attrs: Uint8Array[]): MessageView {
  const msg = new Uint8Array(INET_DIAG_MSG.size);
  const mv = new DataView(msg.buffer);
  msg[0] = AF_INET;
  msg[1] = state;
  mv.setUint16(4, 5000, false);
  mv.setUint16(6, dport, false);
  msg.set(parseIPv4("10.0.0.1")!, 8);
  msg.set(parseIPv4(dst)!, 24);
  mv.setUint32(INET_DIAG_MSG.size - 4, 4242, true); // inode: the endpoint's, shared by its associations
  const body = concat(msg, ...attrs);
  const bytes = concat(new Uint8Array(16), body);
  const v = new DataView(bytes.buffer);
  v.setUint32(0, bytes.length, true);
  v.setUint16(4, 20, true);
  return { bytes, view: v, offset: 0, length: bytes.length, type: 20, flags: 2, seq: 1, pid: 0 };
}

/** An sctp_info with the fields an established association reports. */
function sctpInfo(): Uint8Array {
  const b = new Uint8Array(SCTP_INFO.size);
  const v = new DataView(b.buffer);
  const at = (name: string) => SCTP_INFO.fields.find((f) => f.name === name)!.offset;
  v.setUint32(at("tag"), 0xabc, true);
  v.setUint32(at("state"), 3, true);
  v.setUint32(at("rwnd"), 106496, true);
  v.setUint16(at("inStreams"), 10, true);
  v.setUint16(at("outStreams"), 10, true);
  v.setUint32(at("maxBurst"), 4, true);
  v.setUint32(at("peerTag"), 0xdef, true);
  v.setBigUint64(at("outPackets"), 5n, true);
  b.set(sockaddr("10.0.0.2", 6000), at("primaryAddress"));
  v.setUint32(at("primaryCwnd"), 4380, true);
  b[at("nodelay")] = 1;
  return b;
}

const skmem = new Uint8Array(9 * 4);
new DataView(skmem.buffer).setUint32(4, 212992, true); // rcvbuf

const decode = inetSocketDecoder("sctp");
const endpoint = decode(reply(10, "0.0.0.0", 0, [
  attr(INET_DIAG_LOCALS, concat(sockaddr("10.0.0.1", 0), sockaddr("fd00::1", 0))),
]))!;
const association = decode(reply(3, "10.0.0.2", 6000, [
  attr(INET_DIAG_SKMEMINFO, skmem),
  attr(INET_DIAG_LOCALS, concat(sockaddr("10.0.0.1", 0), sockaddr("fd00::1", 0))),
  attr(INET_DIAG_PEERS, sockaddr("10.0.0.2", 6000)),
  attr(INET_DIAG_INFO, sctpInfo()),
]))!;

Deno.test("sctp: an endpoint keeps its TCP-numbered state; its local addresses are decoded", () => {
  assertEquals([endpoint.protocol, endpoint.state, isAssociation(endpoint)], ["sctp", "listen", false]);
  assertEquals(endpoint.locals, [
    { family: "inet", address: "10.0.0.1", port: 0 },
    { family: "inet6", address: "fd00::1", port: 0 },
  ]);
});

Deno.test("sctp: an association's state is an SCTP state, and sctp_info is decoded with its primary path", () => {
  assertEquals([association.state, isAssociation(association)], ["established", true]);
  assertEquals(association.peers, [{ family: "inet", address: "10.0.0.2", port: 6000 }]);
  const i = association.sctpInfo!;
  assertEquals([i.tag, i.state, i.rwnd, i.inStreams, i.peerTag, i.nodelay], [
    0xabc,
    "established",
    106496,
    10,
    0xdef,
    1,
  ]);
  assertEquals([i.outPackets, i.primaryCwnd], [5n, 4380]);
  assertEquals(i.primaryAddress, { family: "inet", address: "10.0.0.2", port: 6000 });
});

Deno.test("sctp: a shorter sctp_info from an older kernel decodes what it has", () => {
  const short = decode(reply(3, "10.0.0.2", 6000, [
    attr(INET_DIAG_PEERS, sockaddr("10.0.0.2", 6000)),
    attr(INET_DIAG_INFO, sctpInfo().subarray(0, 64)),
  ]))!;
  assertEquals([short.sctpInfo!.tag, short.sctpInfo!.primaryAddress], [0xabc, undefined]);
});

Deno.test("sctp: ss prints the association's state and sctp_show_info as iproute2 does", () => {
  const ctx = { opts: { resolve: false } } as unknown as SsContext;
  assertEquals(associationStateText(association), "`- ESTAB");
  assertEquals(
    sctpInfoText(ctx, association),
    " skmem:(r0,rb212992,t0,tb0,f0,w0,o0,bl0,d0) locals:10.0.0.1,fd00::1 peers:10.0.0.2" +
      " tag:abc state:ESTAB rwnd:106496 instrms:10 outstrms:10 maxburst:4 ptag:def nodelay:1",
  );
  assertEquals(sctpInfoText(ctx, endpoint), " locals:10.0.0.1,fd00::1");
});
