/** Events the kernel sends no group for, or only on request: RTM_GETNEIGH (a resolution request) and address labels. */
import { deepStrictEqual, equal } from "node:assert/strict";
import type { MessageView } from "../../src/core/message.ts";
import { decodeEvent } from "../../src/route/events.ts";

function view(hex: string): MessageView {
  const bytes = new Uint8Array(hex.match(/../g)!.map((x) => parseInt(x, 16)));
  const v = new DataView(bytes.buffer);
  return { bytes, view: v, offset: 0, length: bytes.length, type: v.getUint16(4, true), flags: 0, seq: 0, pid: 0 };
}

Deno.test("events: RTM_GETNEIGH is a getneigh event with its neighbour", () => {
  // ndmsg (inet, ifindex 2, INCOMPLETE) + NDA_DST 10.1.0.99
  const ev = decodeEvent(view("240000001e0001000000000000000000" + "02000000020000000100000008000100" + "0a010063"));
  equal(ev.type, "getneigh");
  if (ev.type !== "getneigh") return;
  deepStrictEqual([ev.neighbour.family, ev.neighbour.ifindex, ev.neighbour.dst, ev.neighbour.state], [
    "inet",
    2,
    "10.1.0.99",
    ["incomplete"],
  ]);
});

Deno.test("events: RTM_NEWADDRLABEL and RTM_DELADDRLABEL are address-label events", () => {
  // ifaddrlblmsg (inet6, /32, index 1, seq 7) + IFAL_ADDRESS 2001:db8:: + IFAL_LABEL 100
  const body = "0a002000010000000700000014000100" + "20010db8000000000000000000000000" + "0800020064000000";
  for (const [type, name] of [["4800", "newaddrlabel"], ["4900", "deladdrlabel"]]) {
    const ev = decodeEvent(view(`38000000${type}00000000000000000000${body}`));
    equal(ev.type, name);
    if (ev.type !== "newaddrlabel" && ev.type !== "deladdrlabel") return;
    deepStrictEqual([ev.label.prefixlen, ev.label.index, ev.label.address, ev.label.label], [32, 1, "2001:db8::", 100]);
  }
});
