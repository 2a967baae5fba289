/**
 * The `tc filter`, `tc chain` and `tc actions` parsers of the CLI: every
 * command line behind the golden captures (tests/fixtures/tc_{classic,misc,
 * flower,actions,rewrite}.json, their words from tests/fixtures/captures/)
 * is parsed by the CLI and built by the library's request builders, and the
 * bytes must equal iproute2's.
 */
import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { MessageWriter } from "../../src/core/writer.ts";
import { actionLookupRequest, type ActionOptions, actionRequest } from "../../src/tc/action.ts";
import { type ChainOptions, chainRequest } from "../../src/tc/chain.ts";
import {
  type FilterOptions,
  type FilterSelector,
  filterSelectorRequest,
  writeFilterRequest,
} from "../../src/tc/filter.ts";
import { tcContext } from "../../src/tc/request.ts";
import { parseActionCommand, setDeviceLookup } from "../../cli/tc/action_parse.ts";
import { parseChainCommand } from "../../cli/tc/chain_parse.ts";
import { type FilterOp, parseFilterCommand, resolveFilterOptions } from "../../cli/tc/filter_parse.ts";
import { matches } from "../../cli/common/args.ts";
import type { CaptureSet } from "../fixtures/capture.ts";
import { loadFixtures } from "../_lib/golden.ts";

const SETS = ["tc_classic", "tc_misc", "tc_flower", "tc_actions", "tc_rewrite", "tc_ematch"];

function hex(b: Uint8Array): string {
  const copy = b.slice();
  copy.fill(0, 8, 16);
  return Array.from(copy, (x) => x.toString(16).padStart(2, "0")).join("");
}

/** tc copies simple's whole 32-byte sdata room from its argument: zero what follows the NUL, as nlink sends it. */
function zeroSimpleTail(name: string, h: string): string {
  if (!name.startsWith("simple.")) return h;
  const at = h.indexOf("24000300");
  if (at < 0) return h;
  const body = h.slice(at + 8, at + 8 + 64);
  const nul = body.match(/^(?:..)*?00/)![0].length;
  return h.slice(0, at + 8) + body.slice(0, nul) + "0".repeat(64 - nul) + h.slice(at + 8 + 64);
}

const FILTER_OPS: [string, FilterOp][] = [
  ["add", "add"],
  ["change", "change"],
  ["replace", "replace"],
  ["delete", "delete"],
  ["get", "get"],
];

/** The request the CLI's parse of `args` makes the library build. */
function build(args: string[], indexes: Record<string, number>): Uint8Array {
  const devices = new Map(Object.entries(indexes));
  setDeviceLookup((n) => devices.get(n) ?? 0); // what the command sets from its link table
  const [object, verb, ...rest] = args;
  if (object === "filter") {
    const op = FILTER_OPS.find(([w]) => matches(verb, w))![1];
    const { options } = parseFilterCommand(op, rest);
    const o = resolveFilterOptions(options, (n) => devices.get(n));
    const index = indexes[o.dev as string];
    if (op === "delete" || op === "get") {
      const { dev: _, ...selector } = o;
      return filterSelectorRequest(op, index, selector as FilterSelector);
    }
    const w = new MessageWriter(512);
    writeFilterRequest(w, op, index, o as unknown as FilterOptions, tcContext(op, { devices }));
    return w.bytes();
  }
  if (object === "chain") {
    const o = parseChainCommand(rest) as unknown as ChainOptions;
    return chainRequest(matches(verb, "add") ? "add" : "delete", indexes[o.dev as string], o);
  }
  const cmd = parseActionCommand([verb, ...rest]);
  switch (cmd.op) {
    case "add":
    case "replace":
    case "change":
      return actionRequest(cmd.op, cmd.actions as ActionOptions[], tcContext(cmd.op, { devices }));
    case "get":
    case "delete":
      return actionLookupRequest(cmd.op, cmd.kind, cmd.index);
    case "list":
      return actionLookupRequest("dump", cmd.kind);
    case "flush":
      return actionLookupRequest("flush", cmd.kind);
  }
}

for (const set of SETS) {
  const data = await loadFixtures(set);
  const { captures } = await import(`../fixtures/captures/${set}.ts`) as { captures: CaptureSet };
  for (const [name, fixture] of Object.entries(data.fixtures)) {
    const capture = captures.commands[name];
    Deno.test(`tc cli parse: ${fixture.command}`, () => {
      assertEquals(hex(build(capture.args, data.indexes)), zeroSimpleTail(name, fixture.hex));
    });
  }
}

Deno.test("tc cli print: flower options print in tc's layout (from a decoded request)", async () => {
  const { decodeFilter, filterRequest } = await import("../../src/tc/filter.ts");
  const { asMessage } = await import("../_lib/golden.ts");
  const { Printer } = await import("../../cli/common/output.ts");
  const { printFilter } = await import("../../cli/tc/filter_print.ts");
  const f = decodeFilter(asMessage(filterRequest("add", 3, {
    dev: 3,
    parent: "ingress",
    prio: 1,
    protocol: "ip",
    kind: "flower",
    ipProto: "tcp",
    dstIp: "10.0.0.0/24",
    dstPort: 80,
    srcPort: "1000-2000",
    skipHw: true,
  } as FilterOptions)));
  const ctx = { stats: 0, brief: false, iec: false, pretty: false, devName: () => "p0" };
  const text = new Printer({ json: false, pretty: false });
  printFilter(text, f, ctx, { ifindex: 3 }, () => "p0");
  assertEquals(
    text.text(),
    "filter ingress protocol ip pref 1 flower \n  eth_type ipv4\n  ip_proto tcp\n  dst_ip 10.0.0.0/24" +
      "\n  dst_port 80\n  src_port 1000-2000\n  skip_hw\n",
  );
  const json = new Printer({ json: true, pretty: false });
  printFilter(json, f, ctx, { ifindex: 3 }, () => "p0");
  assertEquals(JSON.parse(json.text()).options.keys, {
    eth_type: "ipv4",
    ip_proto: "tcp",
    dst_ip: "10.0.0.0/24",
    dst_port: 80,
    src_port: { start: 1000, end: 2000 },
  });
});
