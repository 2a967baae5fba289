/**
 * The plain codecs (a loop over the fields as data, used for a set's or a
 * struct's first uses: src/core/codegen.ts) and the generated ones give the
 * same values, the same bytes and the same errors.
 *
 * Every message of the golden fixtures (the requests iproute2 sent for
 * hundreds of commands, and the kernel's replies) is decoded by its object's
 * decoder, and what it decodes to is encoded again through its schema, once
 * with every codec generated (this process, `setCompileAfter(0)`) and once
 * with none (a fresh process with `setCompileAfter(Infinity)`: here, other
 * test files have long built the generated codecs). The two transcripts must
 * be identical, key order included.
 */
import { equal, ok } from "node:assert/strict";
import { setCompileAfter } from "../../src/core/codegen.ts";

const ROOT = new URL("../../", import.meta.url).href;

/**
 * The transcript: for every fixture message, its decoding and the bytes of
 * that decoding encoded again (or each step's error), as text. Runs where
 * `ROOT` points; the module's own imports, so that the child process runs the
 * very same code.
 */
const TRANSCRIPT = `
import { decodeEvent } from "${ROOT}src/route/events.ts";
import { decodeQdisc } from "${ROOT}src/tc/qdisc.ts";
import { decodeClass } from "${ROOT}src/tc/class.ts";
import { decodeFilter } from "${ROOT}src/tc/filter.ts";
import { decodeActionMessage } from "${ROOT}src/tc/action.ts";
import { decodeChain } from "${ROOT}src/tc/chain.ts";
import { encodeMessage, decodeMessage } from "${ROOT}src/core/message.ts";
import { MessageWriter } from "${ROOT}src/core/writer.ts";
import { LINK_MESSAGE } from "${ROOT}src/route/link_attrs.ts";
import { ROUTE_MESSAGE } from "${ROOT}src/route/route_attrs.ts";
import { ADDR_MESSAGE } from "${ROOT}src/route/addr_attrs.ts";
import { NEIGH_MESSAGE } from "${ROOT}src/route/neigh_attrs.ts";
import { RULE_MESSAGE } from "${ROOT}src/route/rule_attrs.ts";
import { NEXTHOP_MESSAGE } from "${ROOT}src/route/nexthop_attrs.ts";

const TC = new Map([[36, decodeQdisc], [37, decodeQdisc], [40, decodeClass], [41, decodeClass], [44, decodeFilter],
  [45, decodeFilter], [48, decodeActionMessage], [49, decodeActionMessage], [100, decodeChain], [101, decodeChain]]);
const SCHEMAS = new Map([[16, LINK_MESSAGE], [20, ADDR_MESSAGE], [24, ROUTE_MESSAGE], [28, NEIGH_MESSAGE],
  [32, RULE_MESSAGE], [104, NEXTHOP_MESSAGE]]);

const text = (x) => JSON.stringify(x, (_k, v) =>
  typeof v === "bigint" ? v + "n" : v instanceof Uint8Array ? "bytes:" + Array.from(v).join(",") : v);
const attempt = (f) => { try { return text(f()); } catch (e) { return "error " + e.name + ": " + e.message; } };

export function transcript(messages) {
  const out = [];
  for (const hex of messages) {
    const bytes = new Uint8Array(hex.match(/../g).map((x) => parseInt(x, 16)));
    const view = new DataView(bytes.buffer);
    const m = { bytes, view, offset: 0, length: bytes.length, type: view.getUint16(4, true), flags: 0, seq: 0, pid: 0 };
    const decode = TC.get(m.type) ?? decodeEvent;
    out.push(attempt(() => decode(m)));
    const schema = SCHEMAS.get(m.type & ~3);
    if (schema === undefined) continue;
    // The raw decoding (header fields and attributes as the schema names them), encoded again.
    out.push(attempt(() => {
      const d = decodeMessage(schema, m);
      const header = {};
      for (const f of schema.header.fields) header[f.name] = d[f.name];
      const attrs = { ...d };
      for (const f of schema.header.fields) delete attrs[f.name];
      const w = new MessageWriter(256);
      encodeMessage(w, schema, m.type, 0, header, attrs, bytes[16]);
      return w.bytes();
    }));
  }
  return out;
}
`;

/** Every hex string of a netlink message in the fixtures (rtnetlink: family 0, types 16-111). */
async function fixtureMessages(): Promise<string[]> {
  const out: string[] = [];
  const walk = (x: unknown) => {
    if (typeof x === "string") {
      if (/^([0-9a-f]{2}){20,}$/.test(x)) {
        const len = parseInt(x.slice(6, 8) + x.slice(4, 6) + x.slice(2, 4) + x.slice(0, 2), 16);
        const type = parseInt(x.slice(10, 12) + x.slice(8, 10), 16);
        if (len * 2 === x.length && type >= 16 && type < 112) out.push(x);
      }
    } else if (Array.isArray(x)) x.forEach(walk);
    else if (x !== null && typeof x === "object") Object.values(x).forEach(walk);
  };
  for await (const e of Deno.readDir(new URL("../fixtures/", import.meta.url))) {
    if (e.name.endsWith(".json")) {
      walk(JSON.parse(await Deno.readTextFile(new URL(`../fixtures/${e.name}`, import.meta.url))));
    }
  }
  return out.sort();
}

Deno.test("plain and generated codecs: the same values, bytes and errors for every fixture message", async () => {
  const messages = await fixtureMessages();
  ok(messages.length > 500, `only ${messages.length} fixture messages`);
  const dir = await Deno.makeTempDir();
  try {
    const module = `${dir}/transcript.js`;
    await Deno.writeTextFile(module, TRANSCRIPT);
    await Deno.writeTextFile(`${dir}/messages.json`, JSON.stringify(messages));
    // This process: every codec generated from its next use on.
    const before = setCompileAfter(0);
    let generated: string[];
    try {
      generated = (await import(module)).transcript(messages);
    } finally {
      setCompileAfter(before);
    }
    // A fresh process: none generated.
    const child = `
import { setCompileAfter } from "${ROOT}src/core/codegen.ts";
setCompileAfter(Infinity);
const { transcript } = await import("${module}");
console.log(JSON.stringify(transcript(JSON.parse(Deno.readTextFileSync("${dir}/messages.json")))));`;
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["eval", "--no-check", child],
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
    const plain = JSON.parse(new TextDecoder().decode(out.stdout)) as string[];
    equal(plain.length, generated.length);
    for (let i = 0; i < plain.length; i++) equal(plain[i], generated[i], `transcript line ${i}`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
