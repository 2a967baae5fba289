/**
 * Reading links loads the kinds' layouts only when a link carries kind data
 * (link_kind_registry.ts). Each case runs in a fresh Deno process: in this
 * one, other test files have loaded link_kinds.ts long ago.
 *
 * The messages are built here (an RTM_NEWLINK request decodes as the
 * kernel's reply would): a bridge with its IFLA_INFO_DATA, a bridge port
 * with IFLA_INFO_SLAVE_DATA, and a device with neither.
 */
import { deepStrictEqual } from "node:assert/strict";
import { encodeMessage, type MessageView } from "../../src/core/message.ts";
import { MessageWriter } from "../../src/core/writer.ts";
import { RTM } from "../../src/route/constants.ts";
import { decodeLink, linkAddRequest, linkSetRequest } from "../../src/route/link.ts";
import { LINK_MESSAGE } from "../../src/route/link_attrs.ts";

function viewOf(bytes: Uint8Array): MessageView {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { bytes, view: v, offset: 0, length: bytes.length, type: 16, flags: 0, seq: 0, pid: 0 };
}

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");

const BRIDGE = linkAddRequest({ kind: "bridge", name: "br0", stpState: 1, vlanFiltering: true });
/** A bridge port as the kernel reports it: IFLA_INFO_SLAVE_KIND "bridge" and the port's settings. */
const PORT = (() => {
  const w = new MessageWriter(64);
  encodeMessage(w, LINK_MESSAGE, RTM.NEWLINK, 0, { index: 4 }, {
    name: "p0",
    linkinfo: { slaveKind: "bridge", slaveData: { cost: 7 } },
  });
  return w.bytes();
})();
const PLAIN = linkSetRequest(1, { mtu: 1400 });

/**
 * Runs `script` in a fresh process with the repository's link_read.ts and
 * link_kind_registry.ts imported as `read` and `registry`, and `view(hex)`
 * building a MessageView; returns what it prints, parsed as JSON.
 */
async function fresh(script: string): Promise<unknown> {
  const root = new URL("../../", import.meta.url).href;
  const code = `
import * as read from "${root}src/route/link_read.ts";
import * as registry from "${root}src/route/link_kind_registry.ts";
const view = (h) => {
  const bytes = new Uint8Array(h.match(/../g).map((x) => parseInt(x, 16)));
  return { bytes, view: new DataView(bytes.buffer), offset: 0, length: bytes.length, type: 16, flags: 0, seq: 0, pid: 0 };
};
const loaded = () => { try { registry.linkKindSchemas(); return true; } catch (e) { if (e instanceof registry.LinkKindsNotLoaded) return false; throw e; } };
${script}`;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--no-check", code],
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  const stderr = new TextDecoder().decode(out.stderr);
  if (!out.success) throw new Error(`the child process failed:\n${stderr}`);
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

Deno.test("a link without kind data decodes without loading the kinds", async () => {
  const got = await fresh(`
const link = read.decodeLink(view("${hex(PLAIN)}"));
console.log(JSON.stringify({ mtu: link.mtu, loaded: loaded() }));`);
  deepStrictEqual(got, { mtu: 1400, loaded: false });
});

Deno.test("a link with kind data throws LinkKindsNotLoaded until the kinds are loaded", async () => {
  const expected = decodeLink(viewOf(BRIDGE)).linkinfo;
  const got = await fresh(`
let first;
try { read.decodeLink(view("${hex(BRIDGE)}")); first = "decoded"; }
catch (e) { first = e instanceof registry.LinkKindsNotLoaded ? "not loaded" : String(e); }
await registry.loadLinkKinds();
const link = read.decodeLink(view("${hex(BRIDGE)}"));
console.log(JSON.stringify({ first, loaded: loaded(), linkinfo: link.linkinfo }));`);
  deepStrictEqual(got, { first: "not loaded", loaded: true, linkinfo: JSON.parse(JSON.stringify(expected)) });
});

/**
 * A connection that answers from `messages`, each copied into one receive
 * buffer that is wiped after its decoder ran (as the real one reuses its
 * buffer), and counts the requests.
 */
const FAKE_CONNECTION = `
const fake = (messages) => {
  const buffer = new Uint8Array(4096);
  const answer = (decode) => messages.map((h) => {
    const m = view(h);
    buffer.set(m.bytes);
    const r = decode({ ...m, bytes: buffer, view: new DataView(buffer.buffer) });
    buffer.fill(0);
    return r;
  }).filter((r) => r !== undefined);
  return {
    requests: 0,
    async dump(_request, decode) { this.requests++; return answer(decode); },
    async get(_request, decode) { this.requests++; return answer(decode)[0]; },
  };
};`;

Deno.test("getLinks and getLink decode a link that needs the kinds once they load, asking the kernel once", async () => {
  const bridge = decodeLink(viewOf(BRIDGE)), port = decodeLink(viewOf(PORT)), plain = decodeLink(viewOf(PLAIN));
  const got = await fresh(`${FAKE_CONNECTION}
const dumped = fake(["${hex(PLAIN)}", "${hex(BRIDGE)}", "${hex(PORT)}"]);
const links = await read.getLinks(dumped);
const asked = fake(["${hex(PORT)}"]);
const one = await read.getLink(asked, 4);
console.log(JSON.stringify({ links, one, requests: dumped.requests + asked.requests, loaded: loaded() }));`);
  deepStrictEqual(
    got,
    JSON.parse(JSON.stringify({ links: [plain, bridge, port], one: port, requests: 2, loaded: true })),
  );
});

Deno.test("getLinks without kind data leaves the kinds unloaded", async () => {
  const plain = decodeLink(viewOf(PLAIN));
  const got = await fresh(`${FAKE_CONNECTION}
const links = await read.getLinks(fake(["${hex(PLAIN)}", "${hex(PLAIN)}"]));
console.log(JSON.stringify({ links, loaded: loaded() }));`);
  deepStrictEqual(got, JSON.parse(JSON.stringify({ links: [plain, plain], loaded: false })));
});
