/**
 * Property tests: random and mutated bytes fed to every decoder. The only
 * exceptions allowed are NetlinkError (DecodeError is one); every call returns.
 */
import { ok } from "node:assert/strict";
import { NetlinkError } from "../../src/core/errors.ts";
import { forEachMessage } from "../../src/core/connection.ts";
import type { MessageView } from "../../src/core/message.ts";
import { parseDone, parseError } from "../../src/core/ack.ts";
import { decodeEvent } from "../../src/route/events.ts";
import { decodeLink } from "../../src/route/link.ts";
import { decodeAddress } from "../../src/route/addr.ts";
import { decodeRoute } from "../../src/route/route.ts";

const replies = JSON.parse(await Deno.readTextFile(new URL("../fixtures/kernel_replies.json", import.meta.url))) as {
  links: string[];
  addresses: string[];
  routes: string[];
};
const seeds = [...replies.links, ...replies.addresses, ...replies.routes].map((h) =>
  new Uint8Array(h.match(/../g)!.map((x) => parseInt(x, 16)))
);

/** xorshift32: reproducible. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x100000000;
  };
}

function mutate(src: Uint8Array, r: () => number): Uint8Array {
  const b = src.slice();
  const n = 1 + Math.floor(r() * 8);
  for (let i = 0; i < n; i++) {
    const op = r();
    const at = Math.floor(r() * b.length);
    if (op < 0.5) b[at] = Math.floor(r() * 256);
    else if (op < 0.7) b[at] ^= 1 << Math.floor(r() * 8);
    else if (op < 0.85 && b.length > 17) return b.subarray(0, 16 + Math.floor(r() * (b.length - 16)));
    else b[at] = [0, 1, 3, 4, 0xff, 0x7f, 0x80][Math.floor(r() * 7)];
  }
  return b;
}

function view(b: Uint8Array): MessageView {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const len = Math.min(b.length, b.length >= 4 ? v.getUint32(0, true) : 0);
  return { bytes: b, view: v, offset: 0, length: Math.max(16, len), type: 0, flags: 0, seq: 0, pid: 0 };
}

const DECODERS: [string, (m: MessageView) => unknown][] = [
  ["link", decodeLink],
  ["address", decodeAddress],
  ["route", decodeRoute],
  ["event", (m) => decodeEvent({ ...m, type: 16 + Math.floor(Math.random() * 12) })],
  ["error", (m) => parseError(m.bytes, m.view, 0, m.length, 0x300, m.bytes, "fuzz")],
  ["done", (m) => parseDone(m.bytes, m.view, 0, m.length, 0x200, undefined, "fuzz")],
];

function tryDecode(name: string, decode: (m: MessageView) => unknown, b: Uint8Array): void {
  if (b.length < 16) return;
  const m = view(b);
  if (m.length > b.length) return; // the connection never hands out a message longer than what it read
  try {
    decode(m);
  } catch (e) {
    ok(e instanceof NetlinkError, `${name}: ${e} on ${Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("")}`);
  }
}

Deno.test("mutated kernel messages: every decoder returns or throws NetlinkError", () => {
  const r = rng(0x5eed);
  for (let i = 0; i < 20000; i++) {
    const seed = seeds[Math.floor(r() * seeds.length)];
    const b = mutate(seed, r);
    for (const [name, decode] of DECODERS) tryDecode(name, decode, b);
  }
});

Deno.test("random bytes: every decoder returns or throws NetlinkError", () => {
  const r = rng(42);
  for (let i = 0; i < 20000; i++) {
    const b = new Uint8Array(16 + Math.floor(r() * 200));
    for (let k = 0; k < b.length; k++) b[k] = Math.floor(r() * 256);
    new DataView(b.buffer).setUint32(0, b.length, true);
    for (const [name, decode] of DECODERS) tryDecode(name, decode, b);
  }
});

Deno.test("random datagrams: message splitting never throws or loops", () => {
  const r = rng(7);
  const cursor = view(new Uint8Array(16));
  for (let i = 0; i < 20000; i++) {
    const b = new Uint8Array(Math.floor(r() * 300));
    for (let k = 0; k < b.length; k++) b[k] = r() < 0.3 ? 0 : Math.floor(r() * 256);
    let count = 0;
    forEachMessage(b, new DataView(b.buffer), b.length, cursor, () => count++);
    ok(count <= b.length / 16);
  }
});
