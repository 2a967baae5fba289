/**
 * Golden tests for the bpf filter and the bpf action by pinned path
 * (`object-pinned FILE`): nlink's request bytes equal tc(8)'s
 * (tests/fixtures/tc_bpf_pinned.json, captured by
 * tests/fixtures/captures/tc_bpf_pinned.ts, which pins real programs). tc
 * sends the fd it got for each object (4, and 5 for a second one, in the
 * capture): the requests here are built with the same fds for the same
 * paths. Also: the request decodes back, the default name follows tc's rule,
 * and bad input is refused before any object is opened.
 */
import { deepStrictEqual as assertEquals, throws } from "node:assert/strict";
import { ValidationError } from "../../src/core/errors.ts";
import { decodeMessage } from "../../src/core/message.ts";
import { MessageWriter } from "../../src/core/writer.ts";
import { type Action, ACTION_MESSAGE, type ActionOptions, actionRequest } from "../../src/tc/action.ts";
import { pinnedName } from "../../src/tc/actions/bpf.ts";
import { decodeFilter, type FilterOptions, writeFilterRequest } from "../../src/tc/filter.ts";
import type { TcContext } from "../../src/tc/kind.ts";
import { tcContext, type TcWanted } from "../../src/tc/request.ts";
import { asMessage, goldenTests, loadFixtures } from "../_lib/golden.ts";
import { ACT, CLS, LONG } from "../fixtures/captures/tc_bpf_pinned.ts";

const data = await loadFixtures("tc_bpf_pinned");
const { p0, p1 } = data.indexes;

/** The fds tc got for the pinned objects in the capture (opened in argument order after its netlink socket). */
const FDS = new Map([[CLS, 4], [LONG, 4], [ACT, 4]]);
/** A filter with a bpf action: the filter's program was opened first. */
const BOTH = new Map([[CLS, 4], [ACT, 5]]);

const filter = (o: Record<string, unknown>, fds = FDS) => () => {
  const w = new MessageWriter(512);
  const options = { dev: p0, parent: "ingress", prio: 1, kind: "bpf", ...o } as unknown as FilterOptions;
  writeFilterRequest(w, "add", p0, options, tcContext("add", { pinned: fds }));
  return w.bytes();
};
const action = (o: ActionOptions) => () => actionRequest("add", [o], tcContext("add", { pinned: FDS }));

const OURS: Record<string, () => Uint8Array> = {
  "bpf.pinned.da": filter({ pinned: CLS, directAction: true }),
  "bpf.pinned": filter({ pinned: CLS }),
  "bpf.pinned.classid": filter({ parent: "1:", pinned: CLS, classid: "1:10" }),
  "bpf.pinned.skip_hw.action": filter({
    protocol: "ip",
    pinned: CLS,
    directAction: true,
    skipHw: true,
    actions: [{ kind: "mirred", direction: "egress", action: "redirect", dev: p1 }],
  }),
  "bpf.pinned.long_name": filter({ pinned: LONG, directAction: true }),
  "act.bpf.pinned": action({ kind: "bpf", pinned: ACT }),
  "act.bpf.pinned.control.index": action({ kind: "bpf", pinned: ACT, control: "ok", index: 5 }),
  "bpf.pinned.action.bpf.pinned": filter({
    pinned: CLS,
    directAction: true,
    actions: [{ kind: "bpf", pinned: ACT }],
  }, BOTH),
};

goldenTests("tc bpf pinned", data, OURS);

Deno.test("tc bpf pinned: the name is BASENAME:[*fsobj], cut to 255 bytes as tc cuts it", () => {
  assertEquals(pinnedName("/sys/fs/bpf/tc/globals/prog"), "prog:[*fsobj]");
  assertEquals(pinnedName("/sys/fs/bpf/dir/"), ":[*fsobj]");
  assertEquals(pinnedName(LONG), `${"l".repeat(250)}:[*fs`);
  // A multi-byte character is not cut in half.
  assertEquals(pinnedName(`/b/${"l".repeat(246)}é`), `${"l".repeat(246)}é:[*fsob`);
  assertEquals(pinnedName(`/b/${"l".repeat(254)}é`), "l".repeat(254));
});

Deno.test("tc bpf pinned: a given name replaces the default", () => {
  const bytes = filter({ pinned: CLS, name: "mine" })();
  assertEquals(decodeFilter(asMessage(bytes)).options, { fd: 4, name: "mine" });
});

Deno.test("tc bpf pinned: filter and action requests decode back", () => {
  assertEquals(decodeFilter(asMessage(OURS["bpf.pinned.da"]())).options, {
    fd: 4,
    name: "cls_drop:[*fsobj]",
    flags: ["act_direct"],
  });
  const b = OURS["act.bpf.pinned.control.index"]().slice();
  const msg = {
    bytes: b,
    view: new DataView(b.buffer),
    offset: 0,
    length: b.length,
    type: 48,
    flags: 0,
    seq: 0,
    pid: 0,
  };
  const [a] = decodeMessage(ACTION_MESSAGE, msg).actions as Action[];
  assertEquals(a.kind, "bpf");
  assertEquals(a.options, {
    fd: 4,
    name: "act_ok:[*fsobj]",
    parms: { index: 5, capab: 0, action: "pass", refcnt: 0, bindcnt: 0 },
  });
});

Deno.test("tc bpf pinned: the first pass asks for each path once, in the order tc opens them", () => {
  const wanted: TcWanted = { devices: new Set(), pinned: new Map() };
  const w = new MessageWriter(512);
  const o = { dev: p0, parent: "ingress", kind: "bpf", pinned: CLS, actions: [{ kind: "bpf", pinned: ACT }] };
  writeFilterRequest(w, "add", p0, o as FilterOptions, tcContext("add", {}, wanted));
  assertEquals([...wanted.pinned.keys()], [CLS, ACT]);
});

/** A context that fails the test if anything is opened. */
function noOpen(): TcContext {
  return {
    ...tcContext("add", {}, { devices: new Set(), pinned: new Map() }),
    pinnedBpf(path, file) {
      throw new Error(`${path}: ${file} should not have been opened`);
    },
  };
}

Deno.test("tc bpf pinned: bad input is refused before anything is opened, naming the option", () => {
  const filters: [Record<string, unknown>, string][] = [
    [{ pinned: "sys/fs/bpf/prog" }, "pinned"],
    [{ pinned: "" }, "pinned"],
    [{ pinned: 7 }, "pinned"],
    [{ pinned: CLS, fd: 3 }, "pinned"],
    [{ fd: 3, pinned: CLS }, "pinned"],
    [{ pinned: CLS, bytecode: "1,6 0 0 0" }, "pinned"],
    [{ pinned: CLS, name: "x".repeat(256) }, "name"],
    [{ pinned: CLS, name: 5 }, "name"],
    [{ name: "x" }, "bytecode"],
  ];
  for (const [o, field] of filters) {
    const options = { dev: p0, parent: "ingress", kind: "bpf", ...o } as FilterOptions;
    throws(
      () => writeFilterRequest(new MessageWriter(256), "add", p0, options, noOpen()),
      (e: unknown) => e instanceof ValidationError && e.field === field,
      `${JSON.stringify(o)} should be refused naming ${field}`,
    );
  }
  const actions: [Record<string, unknown>, string][] = [
    [{ pinned: "act_ok" }, "pinned"],
    [{ pinned: ACT, fd: 3 }, "pinned"],
    [{ pinned: ACT, bytecode: "1,6 0 0 0" }, "pinned"],
    [{ name: "x", index: 3 }, "name"],
  ];
  for (const [o, field] of actions) {
    throws(
      () => actionRequest("add", [{ kind: "bpf", ...o } as ActionOptions], noOpen()),
      (e: unknown) => e instanceof ValidationError && e.field === `actions[0].${field}`,
      `${JSON.stringify(o)} should be refused naming ${field}`,
    );
  }
});

Deno.test("tc bpf pinned: without an opened object a pure builder refuses, naming the option", () => {
  throws(
    () => actionRequest("add", [{ kind: "bpf", pinned: ACT }], tcContext("add")),
    (e: unknown) => e instanceof ValidationError && e.field === "actions[0].pinned",
  );
});
