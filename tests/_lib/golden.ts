/**
 * Golden-test helpers shared by tests/unit/golden_*_test.ts: loading a
 * captured fixture file (tests/fixtures/NAME.json, written by
 * tests/fixtures/capture.ts) and comparing nlink's request bytes with each
 * captured request.
 *
 * @module
 */
import { deepStrictEqual as assertEquals } from "node:assert/strict";
import type { MessageView } from "../../src/core/message.ts";

/** A capture: the ifindexes of its devices by name, and each request's command and bytes (hex) by key. */
export interface GoldenFixtures {
  /** The capture's devices' ifindexes, by name (p0, br0, …). */
  indexes: Record<string, number>;
  /** The captured requests, by key. */
  fixtures: Record<string, { command: string; hex: string }>;
}

/** Loads tests/fixtures/NAME.json. */
export async function loadFixtures(name: string): Promise<GoldenFixtures> {
  return JSON.parse(await Deno.readTextFile(new URL(`../fixtures/${name}.json`, import.meta.url))) as GoldenFixtures;
}

/** A request's bytes as hex, its seq and port id zeroed as the capture zeroes them. */
function hex(b: Uint8Array): string {
  const copy = b.slice();
  copy.fill(0, 8, 16);
  return Array.from(copy, (x) => x.toString(16).padStart(2, "0")).join("");
}

/**
 * Registers "every captured WHAT request has an nlink equivalent", then one
 * `golden: COMMAND` test per captured request that `ours` builds, comparing
 * its bytes with the capture's (passed through `captured` first, e.g. to
 * zero padding the capturing tool left uninitialized).
 */
export function goldenTests(
  what: string,
  data: GoldenFixtures,
  ours: Record<string, () => Uint8Array>,
  captured: (hex: string) => string = (h) => h,
): void {
  Deno.test(`every captured ${what} request has an nlink equivalent`, () => {
    assertEquals(Object.keys(data.fixtures).filter((k) => !(k in ours)), []);
  });
  for (const [name, fixture] of Object.entries(data.fixtures)) {
    const build = ours[name];
    if (!build) continue;
    Deno.test(`golden: ${fixture.command}`, () => {
      assertEquals(hex(build()), captured(fixture.hex));
    });
  }
}

/**
 * A request's bytes as a received message, for decoders (replies have the
 * same layout as requests).
 */
export function asMessage(bytes: Uint8Array): MessageView {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { bytes, view, offset: 0, length: bytes.length, type: view.getUint16(4, true), flags: 0, seq: 0, pid: 0 };
}

/**
 * A copy of a netlink message with its attribute padding zeroed (iproute2 leaves whatever was in its buffer
 * there), walking nested attributes and, for a route (`headerLen` 12, struct rtmsg), the records of
 * RTA_MULTIPATH with their attributes. `headerLen`: the family header after nlmsghdr (8 for struct nhmsg).
 *
 * @example
 * ```ts ignore
 * assertEquals(maskAttrPadding(ours, 12), maskAttrPadding(theirs, 12));
 * ```
 */
export function maskAttrPadding(message: Uint8Array, headerLen: number): Uint8Array {
  const b = message.slice();
  const v = new DataView(b.buffer);
  const RTA_MULTIPATH = 9;
  const walk = (from: number, to: number, multipath: boolean) => {
    for (let at = from; at + 4 <= to;) {
      const len = v.getUint16(at, true);
      const type = v.getUint16(at + 2, true);
      if (len < 4) break;
      const end = Math.min(at + ((len + 3) & ~3), to);
      b.fill(0, Math.min(at + len, to), end);
      if (multipath && type === RTA_MULTIPATH) {
        // struct rtnexthop records, each followed by its attributes.
        for (let r = at + 4; r + 8 <= at + len;) {
          const rl = v.getUint16(r, true);
          if (rl < 8) break;
          walk(r + 8, Math.min(r + rl, at + len), false);
          r += (rl + 3) & ~3;
        }
      } else if (type & 0x8000) walk(at + 4, at + len, false);
      at = end;
    }
  };
  walk(16 + headerLen, b.length, headerLen === 12);
  return b;
}
