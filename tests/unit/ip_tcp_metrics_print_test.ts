/**
 * `ip tcp_metrics`'s printer without a kernel, on entries with what no live
 * test here can make (TIME-WAIT timestamps of kernels before 4.10, TCP Fast
 * Open data, RTTs in milliseconds only): the text and JSON iproute2 6.1's
 * process_msg and print_tcp_metrics write for them, worked out from its
 * source. A real kernel's entries are compared with iproute2 itself in
 * tests/cli/ip_tcp_metrics_test.ts.
 */
import { deepStrictEqual as assertEquals } from "node:assert/strict";
import type { TcpMetricsEntry } from "@nlink/nlink/genl";
import { Printer } from "../../cli/common/output.ts";
import { printTcpMetrics, rttMicroseconds } from "../../cli/ip/tcp_metrics_print.ts";

const FULL: TcpMetricsEntry = {
  family: "inet",
  address: "10.0.0.2",
  source: "10.0.0.1",
  metrics: { rtt: 5, rttvar: 9, ssthresh: 20, cwnd: 10, reordering: 3 },
  age: 1234n,
  twTsval: 7,
  twTsStamp: -3,
  fastopenMss: 1460,
  fastopenSynDrops: 2,
  fastopenSynDropTs: 2500n,
  fastopenCookie: Uint8Array.from({ length: 20 }, (_, i) => i + 1),
};

function printed(entry: TcpMetricsEntry, json: boolean, deleted = false): string {
  const p = new Printer({ json, pretty: false });
  p.startList();
  printTcpMetrics(p, entry, deleted);
  p.endList();
  return p.text();
}

Deno.test("text: every field in iproute2's order, RTTs from milliseconds, the cookie cut to 16 bytes", () => {
  assertEquals(
    printed(FULL, false),
    "10.0.0.2 age 1.234sec tw_ts 7/-3 ago ssthresh 20 cwnd 10 reordering 3 rtt 625us rttvar 2250us" +
      " fo_mss 1460 fo_syn_drops 2/0.003usec ago fo_cookie 0102030405060708090a0b0c0d0e0f10 source 10.0.0.1\n",
  );
  assertEquals(
    printed({ family: "inet6", address: "::1", metrics: {} }, false, true),
    "Deleted ::1\n",
  );
});

Deno.test("JSON: iproute2's keys (fopen_miss included), floats as %g, RTTs in seconds", () => {
  assertEquals(JSON.parse(printed(FULL, true)), [{
    dst: "10.0.0.2",
    age: 1.234,
    tw_ts_stamp: "7/-3",
    ssthresh: 20,
    cwnd: 10,
    reordering: 3,
    rtt: 0.000625,
    rttvar: 0.00225,
    fopen_miss: 1460,
    fopen_syn_drops: 2,
    fopen_syn_drop_ts: 0.0025,
    fo_cookie: "0102030405060708090a0b0c0d0e0f10",
    source: "10.0.0.1",
  }]);
  // The kernel's usual entry: %g writes small RTTs with an exponent.
  const live: TcpMetricsEntry = {
    family: "inet",
    address: "127.0.0.2",
    source: "127.0.0.1",
    metrics: { rtt: 1, rttvar: 1, cwnd: 14, rttUs: 716, rttvarUs: 505 },
    age: 36n,
  };
  assertEquals(
    printed(live, true),
    '[{"dst":"127.0.0.2","age":0.036,"cwnd":14,"rtt":8.9e-05,"rttvar":0.000126,"source":"127.0.0.1"}]\n',
  );
  assertEquals(printed(live, false), "127.0.0.2 age 0.036sec cwnd 14 rtt 89us rttvar 126us source 127.0.0.1\n");
});

Deno.test("RTTs: microsecond values win, a zero RTT is not printed", () => {
  assertEquals(rttMicroseconds({ rtt: 1, rttUs: 219, rttvar: 1, rttvarUs: 94 }), [27, 23]);
  assertEquals(rttMicroseconds({ rtt: 2, rttvar: 3 }), [250, 750]);
  assertEquals(rttMicroseconds({ rttUs: 7 }), [0, 0]);
  assertEquals(
    printed({ family: "inet", address: "10.0.0.9", metrics: { rttUs: 7, cwnd: 2 } }, false),
    "10.0.0.9 cwnd 2\n",
  );
});
