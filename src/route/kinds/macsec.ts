/**
 * macsec (the link; keys and SAs are generic netlink, elsewhere):
 * IFLA_MACSEC_* as data, the typed options of `ip link add link DEV NAME type
 * macsec [port P | sci S] [cipher C] [encrypt on] …`, and the decoded data.
 *
 * @module
 */
import { cEnum, type EnumTable } from "../../core/enums.ts";
import { ValidationError } from "../../core/errors.ts";
import { type AttrSchema, attrSchema } from "../../core/schema.ts";
import type { Dev, LinkCommonOptions } from "../link_types.ts";
import { BOOL, intIn, type KindCodec, type KindOptions, oneOf, onOff, u64Names } from "./common.ts";

/** Frame validation (MACSEC_VALIDATE_*): `disabled`, `check`, `strict`. */
export const MACSEC_VALIDATE: EnumTable = cEnum("linux/if_link.h", "MACSEC_VALIDATE_", {
  DISABLED: 0,
  CHECK: 1,
  STRICT: 2,
});

/** Offload (MACSEC_OFFLOAD_*): `off`, `phy`, `mac`. */
export const MACSEC_OFFLOAD: EnumTable = cEnum("linux/if_link.h", "MACSEC_OFFLOAD_", { OFF: 0, PHY: 1, MAC: 2 });

// MACSEC_CIPHER_ID_* and MACSEC_DEFAULT_CIPHER_ID (linux/if_macsec.h) are
// 64-bit: beyond the audited tables' numbers, so they are written out here.
const GCM_AES_128 = 0x0080c20001000001n;
const GCM_AES_256 = 0x0080c20001000002n;
const GCM_AES_XPN_128 = 0x0080c20001000003n;
const GCM_AES_XPN_256 = 0x0080c20001000004n;
const DEFAULT_CIPHER = 0x0080020001000001n;

/** Cipher suites by iproute2's names; the kernel reports GCM-AES-128 as the default id. */
const CIPHER = u64Names(
  {
    "default": DEFAULT_CIPHER,
    "gcm-aes-128": GCM_AES_128,
    "gcm-aes-256": GCM_AES_256,
    "gcm-aes-xpn-128": GCM_AES_XPN_128,
    "gcm-aes-xpn-256": GCM_AES_XPN_256,
  },
  new Map([
    [DEFAULT_CIPHER, "gcm-aes-128"],
    [GCM_AES_128, "gcm-aes-128"],
    [GCM_AES_256, "gcm-aes-256"],
    [GCM_AES_XPN_128, "gcm-aes-xpn-128"],
    [GCM_AES_XPN_256, "gcm-aes-xpn-256"],
  ]),
);

/** IFLA_MACSEC_*: a MACsec device's data, named with iproute2's words. */
export const MACSEC_ATTRS: AttrSchema = attrSchema("IFLA_MACSEC_", "linux/if_link.h", {
  SCI: { id: 1, type: "be64" },
  PORT: { id: 2, type: "be16" },
  ICV_LEN: { id: 3, type: "u8", name: "icvlen" },
  CIPHER_SUITE: { id: 4, type: "custom", codec: CIPHER, name: "cipher" },
  WINDOW: { id: 5, type: "u32" },
  ENCODING_SA: { id: 6, type: "u8", name: "encodingsa" },
  ENCRYPT: { id: 7, type: "custom", codec: BOOL },
  PROTECT: { id: 8, type: "custom", codec: BOOL },
  INC_SCI: { id: 9, type: "custom", codec: BOOL, name: "sendSci" },
  ES: { id: 10, type: "custom", codec: BOOL, name: "endStation" },
  SCB: { id: 11, type: "custom", codec: BOOL },
  REPLAY_PROTECT: { id: 12, type: "custom", codec: BOOL, name: "replay" },
  VALIDATION: { id: 13, type: "u8", enum: MACSEC_VALIDATE, name: "validate" },
  PAD: { id: 14, type: "pad" },
  OFFLOAD: { id: 15, type: "u8", enum: MACSEC_OFFLOAD },
});

/** The MACsec settings `ip link add/set … type macsec` takes. */
export interface MacsecSettings {
  /** The secure channel identifier, a u64 (`sci`); or give `port`. */
  sci?: bigint;
  /** The SCI's port, 1-65535 (with the device's address) (`port`). */
  port?: number;
  /** `"gcm-aes-128"` (`"default"`), `"gcm-aes-256"`, `"gcm-aes-xpn-128"`, `"gcm-aes-xpn-256"` (`cipher`). */
  cipher?: "default" | "gcm-aes-128" | "gcm-aes-256" | "gcm-aes-xpn-128" | "gcm-aes-xpn-256";
  /** ICV length, 8-16 (`icvlen`). */
  icvlen?: number;
  /** Encrypt (`encrypt on|off`). */
  encrypt?: boolean;
  /** Include the SCI in every frame (`send_sci on|off`). */
  sendSci?: boolean;
  /** End station bit (`end_station on|off`). */
  endStation?: boolean;
  /** Single copy broadcast (`scb on|off`). */
  scb?: boolean;
  /** Protect frames (`protect on|off`). */
  protect?: boolean;
  /** Replay protection (`replay on|off`; needs `window`). */
  replay?: boolean;
  /** Replay window (`window`). */
  window?: number;
  /** Validation of received frames (`validate`). */
  validate?: "disabled" | "check" | "strict";
  /** Encoding SA, 0-3 (`encodingsa`). */
  encodingsa?: number;
  /** Offload (`offload`). */
  offload?: "off" | "phy" | "mac";
}

/**
 * A MACsec device on `link`.
 *
 * @example
 * ```ts ignore
 * await addLink(conn, { kind: "macsec", name: "ms0", link: "p0", port: 11, encrypt: true });
 * ```
 */
export interface MacsecOptions extends LinkCommonOptions, MacsecSettings {
  /** The kind. */
  kind: "macsec";
  /** The parent device. */
  link: Dev;
}

/** A MACsec device's decoded data. */
export interface MacsecData {
  /** Secure channel identifier. */
  sci?: bigint;
  /** Port (requests only). */
  port?: number;
  /** ICV length. */
  icvlen?: number;
  /** Cipher suite name (or id). */
  cipher?: string | bigint;
  /** Replay window. */
  window?: number;
  /** Encoding SA. */
  encodingsa?: number;
  /** Encrypt. */
  encrypt?: boolean;
  /** Protect. */
  protect?: boolean;
  /** SCI in every frame. */
  sendSci?: boolean;
  /** End station. */
  endStation?: boolean;
  /** Single copy broadcast. */
  scb?: boolean;
  /** Replay protection. */
  replay?: boolean;
  /** Validation. */
  validate?: string | number;
  /** Offload. */
  offload?: string | number;
}

const BOOLS = ["encrypt", "sendSci", "endStation", "scb", "protect"] as const;

/**
 * IFLA_MACSEC_* in iproute2's order: sci or port first, the on/off settings
 * and validate/offload as parsed (`encrypt send_sci end_station scb protect
 * validate offload`), then cipher, icvlen, window with replay, encodingsa.
 */
function encode(o: KindOptions): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  if (o.sci !== undefined && o.port !== undefined) throw new ValidationError("port", o.port, "give sci or port");
  if (o.sci !== undefined) {
    if (typeof o.sci !== "bigint") throw new ValidationError("sci", o.sci, "expected a u64 bigint");
    out.sci = o.sci;
  }
  if (o.port !== undefined) out.port = intIn(o.port, 1, 65535, "port");
  for (const name of BOOLS) if (o[name] !== undefined) out[name] = onOff(o[name], name) === 1;
  if (o.sendSci === true && (o.endStation === true || o.scb === true)) {
    throw new ValidationError("sendSci", true, "send_sci excludes end_station and scb");
  }
  if (o.endStation === true && o.scb === true) throw new ValidationError("scb", true, "end_station excludes scb");
  if (o.validate !== undefined) out.validate = oneOf(o.validate, ["disabled", "check", "strict"], "validate");
  if (o.offload !== undefined) out.offload = oneOf(o.offload, ["off", "phy", "mac"], "offload");
  if (o.cipher !== undefined) out.cipher = o.cipher;
  if (o.icvlen !== undefined) out.icvlen = intIn(o.icvlen, 8, 16, "icvlen");
  if (o.window !== undefined && o.replay === undefined) {
    throw new ValidationError("window", o.window, "a replay window needs replay: true");
  }
  if (o.replay === true && o.window === undefined) {
    throw new ValidationError("window", undefined, "replay needs a window");
  }
  if (o.replay !== undefined) {
    out.window = intIn(o.window ?? 0xffffffff, 0, 0xffffffff, "window");
    out.replay = onOff(o.replay, "replay") === 1;
  }
  if (o.encodingsa !== undefined) out.encodingsa = intIn(o.encodingsa, 0, 3, "encodingsa");
  return Object.keys(out).length ? out : undefined;
}

/** macsec's codec. */
export const MACSEC: KindCodec = { schema: MACSEC_ATTRS, encode, changeable: true };
