/**
 * The `tcp_metrics` generic netlink family without a kernel: requests equal
 * what iproute2's `ip tcp_metrics` sends (captured with nlcapture in a
 * namespace on a 6.18 kernel, where the family had id 27), bad input is
 * refused before anything is sent, the kernel's dump replies (captured from
 * the same kernel) and a constructed entry with every attribute decode to
 * typed entries, and the filters take what iproute2's take. The attribute
 * ids and constants are checked against linux/tcp_metrics.h by
 * constants_audit_test.ts; the nested metric ids (index + 1) here.
 */
import { deepStrictEqual as assertEquals, throws } from "node:assert/strict";
import { REQUEST_FLAGS } from "../../src/core/header.ts";
import { ValidationError } from "../../src/core/errors.ts";
import { genlRequest } from "../../src/genl/header.ts";
import {
  TCP_METRIC,
  TCP_METRICS_CMD,
  TCP_METRICS_GENL,
  TCP_METRICS_MESSAGE,
  TCP_METRICS_VALS_ATTRS,
} from "../../src/genl/tcp_metrics/attrs.ts";
import {
  decodeTcpMetrics,
  type TcpMetricsEntry,
  tcpMetricsFilter,
  tcpMetricsRequest,
} from "../../src/genl/tcp_metrics/tcp_metrics.ts";
import { asMessage } from "../_lib/golden.ts";

const fromHex = (h: string) => Uint8Array.from(h.match(/../g)!, (x) => parseInt(x, 16));
const toHex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
const FAMILY = 27;

/** iproute2's requests: the command, then the bytes it sent (seq and pid zeroed). */
const GOLDEN: [string, () => Uint8Array, string][] = [
  ["ip tcp_metrics show", () => tcpMetricsRequest(FAMILY, "dump"), "140000001b000103000000000000000001010000"],
  [
    "ip tcp_metrics show 127.0.0.1 x source 127.0.0.2",
    () => tcpMetricsRequest(FAMILY, "get", { address: "127.0.0.1", source: "127.0.0.2" }),
    "240000001b000100000000000000000001010000080001007f00000108000b007f000002",
  ],
  [
    "ip tcp_metrics delete 127.0.0.1",
    () => tcpMetricsRequest(FAMILY, "del", { address: "127.0.0.1" }),
    "1c0000001b000500000000000000000002010000080001007f000001",
  ],
  [
    "ip tcp_metrics delete ::1 x source ::2",
    () => tcpMetricsRequest(FAMILY, "del", { address: "::1", source: "::2" }),
    "3c0000001b0005000000000000000000020100001400020000000000000000000000000000000001" +
    "14000c0000000000000000000000000000000002",
  ],
  ["ip tcp_metrics flush", () => tcpMetricsRequest(FAMILY, "del"), "140000001b000500000000000000000002010000"],
];

for (const [command, build, hex] of GOLDEN) {
  Deno.test(`golden: ${command}`, () => assertEquals(toHex(build()), hex));
}

Deno.test("golden: a flush's delete of one entry (sent without NLM_F_ACK, as iproute2's)", () => {
  const mine = tcpMetricsRequest(FAMILY, "del", { address: "127.0.0.1", source: "127.0.0.2" });
  assertEquals(mine[6], REQUEST_FLAGS.ack);
  mine[6] = REQUEST_FLAGS.get; // what the flush's sendBatch (acks: "none") leaves on every message
  assertEquals(toHex(mine), "240000001b000100000000000000000002010000080001007f00000108000b007f000002");
});

Deno.test("bad input is refused before anything is sent, naming the field", () => {
  const refused = (f: () => unknown, field: string) =>
    throws(f, (e) => e instanceof ValidationError && e.field === field);
  refused(() => tcpMetricsRequest(FAMILY, "get"), "address");
  refused(() => tcpMetricsRequest(FAMILY, "get", { address: "10.0.0.0/8" }), "address");
  refused(() => tcpMetricsRequest(FAMILY, "del", { address: "bogus" }), "address");
  refused(() => tcpMetricsRequest(FAMILY, "del", { address: "10.0.0.1", source: "x" }), "source");
  refused(() => tcpMetricsRequest(FAMILY, "del", { source: "10.0.0.1" }), "source");
  refused(() => tcpMetricsRequest(FAMILY, "dump", { address: "10.0.0.1" }), "selector");
  refused(() => tcpMetricsRequest(FAMILY, "set" as "get", { address: "10.0.0.1" }), "cmd");
  refused(() => tcpMetricsFilter({ family: "link" as "inet" }), "family");
  refused(() => tcpMetricsFilter({ address: "10.0.0.0/33" }), "address");
  refused(() => tcpMetricsFilter({ family: "inet6", source: "10.0.0.1" }), "source");
});

Deno.test("the nested metric ids are the header's indices plus one", () => {
  assertEquals(TCP_METRICS_VALS_ATTRS.field("rtt").id, TCP_METRIC.RTT + 1);
  assertEquals(TCP_METRICS_VALS_ATTRS.field("rttUs").id, 6);
  assertEquals(TCP_METRICS_VALS_ATTRS.field("rttvarUs").id, 7);
  assertEquals(TCP_METRICS_CMD.name(2), "del");
});

/** Dump replies of a 6.18 kernel: ::1 from ::1, 127.0.0.2 from 127.0.0.1, 2001:db8::1 from 2001:db8::2. */
const REPLIES = [
  "740000001b00020001000000e22140be01010000140002000000000000000000000000000000000114000c000000000000000000" +
  "00000000000000010c000300a8220000000000002c000600080006003a010000080001000100000008000700dc00000008000200" +
  "01000000080004000e000000",
  "5c0000001b0002000100000030ad22f701010000080001007f00000208000b007f0000010c00030024000000000000002c000600" +
  "08000600cc020000080001000100000008000700f90100000800020001000000080004000e000000",
  "740000001b00020001000000e22140be010100001400020020010db800000000000000000000000114000c0020010db800000000" +
  "00000000000000020c000300a8220000000000002c00060008000600350000000800010001000000080007001a00000008000200" +
  "01000000080004000b000000",
];

Deno.test("the kernel's dump replies decode", () => {
  const [v6, v4, other] = REPLIES.map((h) => decodeTcpMetrics(asMessage(fromHex(h)), FAMILY));
  assertEquals(v6, {
    family: "inet6",
    address: "::1",
    source: "::1",
    metrics: { rtt: 1, rttvar: 1, cwnd: 14, rttUs: 314, rttvarUs: 220 },
    age: 8872n,
  });
  assertEquals(v4, {
    family: "inet",
    address: "127.0.0.2",
    source: "127.0.0.1",
    metrics: { rtt: 1, rttvar: 1, cwnd: 14, rttUs: 716, rttvarUs: 505 },
    age: 36n,
  });
  assertEquals([other?.address, other?.source, other?.metrics.cwnd], ["2001:db8::1", "2001:db8::2", 11]);
  // Another family's message, or a request of another command, is no entry.
  assertEquals(decodeTcpMetrics(asMessage(fromHex(REPLIES[0])), FAMILY + 1), undefined);
  assertEquals(decodeTcpMetrics(asMessage(tcpMetricsRequest(FAMILY, "del", { address: "::1" })), FAMILY), undefined);
});

/** A GET reply with every attribute, as a kernel before 4.10 (with TIME-WAIT timestamps) and Fast Open send it. */
function fullEntry(): Uint8Array {
  return genlRequest({
    familyId: FAMILY,
    flags: 0,
    cmd: TCP_METRICS_CMD.value("get"),
    version: TCP_METRICS_GENL.VERSION,
    schema: TCP_METRICS_MESSAGE,
    attrs: {
      addrIpv4: "10.0.0.2",
      saddrIpv4: "10.0.0.1",
      age: 1234n,
      twTsval: 7,
      twTsStamp: -3,
      metrics: { rtt: 5, rttvar: 9, ssthresh: 20, cwnd: 10, reordering: 3 },
      fastopenMss: 1460,
      fastopenSynDrops: 2,
      fastopenSynDropTs: 1500n,
      fastopenCookie: fromHex("0102030405060708"),
    },
  });
}

Deno.test("an entry with every attribute decodes (u64 values as bigints)", () => {
  assertEquals(decodeTcpMetrics(asMessage(fullEntry()), FAMILY), {
    family: "inet",
    address: "10.0.0.2",
    source: "10.0.0.1",
    metrics: { rtt: 5, rttvar: 9, ssthresh: 20, cwnd: 10, reordering: 3 },
    age: 1234n,
    twTsval: 7,
    twTsStamp: -3,
    fastopenMss: 1460,
    fastopenSynDrops: 2,
    fastopenSynDropTs: 1500n,
    fastopenCookie: fromHex("0102030405060708"),
  });
});

Deno.test("filters take what iproute2's take", () => {
  const e = (address: string, source?: string): TcpMetricsEntry => ({
    family: address.includes(":") ? "inet6" : "inet",
    address,
    ...(source === undefined ? {} : { source }),
    metrics: {},
  });
  const all = [e("10.1.2.3", "10.0.0.1"), e("10.1.2.4", "192.0.2.1"), e("2001:db8::2", "2001:db8::1"), e("10.9.0.1")];
  const pick = (f: Parameters<typeof tcpMetricsFilter>[0]) => all.filter(tcpMetricsFilter(f)).map((x) => x.address);
  assertEquals(pick({}), ["10.1.2.3", "10.1.2.4", "2001:db8::2", "10.9.0.1"]);
  assertEquals(pick({ family: "inet6" }), ["2001:db8::2"]);
  assertEquals(pick({ family: "inet" }), ["10.1.2.3", "10.1.2.4", "10.9.0.1"]);
  assertEquals(pick({ address: "10.1.0.0/16" }), ["10.1.2.3", "10.1.2.4"]);
  assertEquals(pick({ address: "10.1.2.4" }), ["10.1.2.4"]);
  assertEquals(pick({ address: "0.0.0.0/0" }), ["10.1.2.3", "10.1.2.4", "10.9.0.1"]);
  // An entry without a source (kernels before 3.13) passes a source filter.
  assertEquals(pick({ source: "10.0.0.1" }), ["10.1.2.3", "10.9.0.1"]);
  assertEquals(pick({ family: "inet6", source: "2001:db8::1/128" }), ["2001:db8::2"]);
  assertEquals(pick({ address: "2001:db8::/32", source: "10.0.0.1" }), []);
});
