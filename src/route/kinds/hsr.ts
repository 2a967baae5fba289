/**
 * hsr and prp (redundancy protocols): IFLA_HSR_* as data, the typed options of
 * `ip link add NAME type hsr slave1 A slave2 B …`, and the decoded data.
 *
 * @module
 */
import { cEnum, type EnumTable } from "../../core/enums.ts";
import { type AttrSchema, attrSchema } from "../../core/schema.ts";
import type { Dev, LinkCommonOptions } from "../link_types.ts";
import { intIn, type KindCodec, type KindContext, type KindOptions, oneOf, put } from "./common.ts";

/** The redundancy protocol (HSR_PROTOCOL_*): `hsr`, `prp`. */
export const HSR_PROTOCOL: EnumTable = cEnum("linux/if_link.h", "HSR_PROTOCOL_", { HSR: 0, PRP: 1 });

/** IFLA_HSR_*: an HSR/PRP device's data. */
export const HSR_ATTRS: AttrSchema = attrSchema("IFLA_HSR_", "linux/if_link.h", {
  SLAVE1: { id: 1, type: "u32" },
  SLAVE2: { id: 2, type: "u32" },
  MULTICAST_SPEC: { id: 3, type: "u8", name: "supervision" },
  SUPERVISION_ADDR: { id: 4, type: "lladdr" },
  SEQ_NR: { id: 5, type: "u16" },
  VERSION: { id: 6, type: "u8" },
  PROTOCOL: { id: 7, type: "u8", enum: HSR_PROTOCOL, name: "proto" },
  // Newer than the audited headers; number from the kernel's rt-link spec.
  INTERLINK: { id: 8, type: "u32", since: "6.11" },
});

/**
 * An HSR (or PRP) device over two ports.
 *
 * @example
 * ```ts ignore
 * await addLink(conn, { kind: "hsr", name: "hsr0", slave1: "p0", slave2: "p1", version: 1 });
 * ```
 */
export interface HsrOptions extends LinkCommonOptions {
  /** The kind. */
  kind: "hsr";
  /** The first port (`slave1`). */
  slave1: Dev;
  /** The second port (`slave2`). */
  slave2: Dev;
  /** Last byte of the supervision multicast address, 0-255 (`supervision`). */
  supervision?: number;
  /** HSR version: 0 (2010) or 1 (2012) (`version`). */
  version?: 0 | 1;
  /** `"hsr"` (default) or `"prp"` (`proto`). */
  proto?: "hsr" | "prp";
}

/** An HSR/PRP device's decoded data. */
export interface HsrData {
  /** First port ifindex. */
  slave1?: number;
  /** Second port ifindex. */
  slave2?: number;
  /** Supervision address byte (requests only). */
  supervision?: number;
  /** Supervision frames' multicast address. */
  supervisionAddr?: string;
  /** Current sequence number. */
  seqNr?: number;
  /** Version (requests only). */
  version?: number;
  /** `"hsr"` or `"prp"`. */
  proto?: string | number;
  /** Interlink port (Linux 6.11+). */
  interlink?: number;
}

/**
 * IFLA_HSR_* in the argument order `slave1 A slave2 B supervision N version V
 * proto P`. A missing port is the kernel's to refuse ("Slave2 device not
 * specified"), as iproute2 leaves it.
 */
function encode(o: KindOptions, ctx: KindContext): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (o.slave1 !== undefined) out.slave1 = ctx.dev("slave1", o.slave1 as Dev);
  if (o.slave2 !== undefined) out.slave2 = ctx.dev("slave2", o.slave2 as Dev);
  put(out, "supervision", intIn(o.supervision, 0, 255, "supervision"));
  put(out, "version", intIn(o.version, 0, 1, "version"));
  put(out, "proto", oneOf(o.proto, ["hsr", "prp"], "proto"));
  return out;
}

/** hsr's codec. */
export const HSR: KindCodec = { schema: HSR_ATTRS, encode, devOptions: ["slave1", "slave2"] };
