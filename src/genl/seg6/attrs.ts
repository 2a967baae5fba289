/**
 * The segment routing generic netlink family (`SEG6`) as data: its commands,
 * the one flat attribute set every request and reply uses, and the HMAC
 * algorithms and secret size of linux/seg6_hmac.h.
 *
 * @module
 */
import { cTable } from "../../core/ctable.ts";
import { cEnum, type EnumTable } from "../../core/enums.ts";
import type { MessageSchema } from "../../core/message.ts";
import { type AttrSchema, attrSchema } from "../../core/schema.ts";
import { genlMessageSchema } from "../header.ts";

/** The family's name, as the controller knows it (SEG6_GENL_NAME). */
export const SEG6_GENL_NAME = "SEG6";

/**
 * The family's interface version (SEG6_GENL_VERSION), written in every
 * request's genlmsghdr.
 *
 * @example
 * ```ts
 * import { SEG6_GENL } from "./attrs.ts";
 * SEG6_GENL.VERSION; // 1
 * ```
 */
export const SEG6_GENL: { readonly VERSION: number } = cTable("linux/seg6_genl.h", "SEG6_GENL_", { VERSION: 1 });

/**
 * The family's commands (SEG6_CMD_*): `sethmac` (add, replace or, with an
 * empty secret, delete an HMAC key), `dumphmac`, `set_tunsrc`, `get_tunsrc`.
 *
 * @example
 * ```ts
 * import { SEG6_CMD } from "./attrs.ts";
 * SEG6_CMD.value("set_tunsrc"); // 3
 * ```
 */
export const SEG6_CMD: EnumTable = cEnum("linux/seg6_genl.h", "SEG6_CMD_", {
  UNSPEC: 0,
  SETHMAC: 1,
  DUMPHMAC: 2,
  SET_TUNSRC: 3,
  GET_TUNSRC: 4,
});

/**
 * The HMAC algorithms of segment routing headers (SEG6_HMAC_ALGO_*):
 * `sha1`, `sha256`.
 *
 * @example
 * ```ts
 * import { SEG6_HMAC_ALGO } from "./attrs.ts";
 * SEG6_HMAC_ALGO.value("sha256"); // 2
 * ```
 */
export const SEG6_HMAC_ALGO: EnumTable = cEnum("linux/seg6_hmac.h", "SEG6_HMAC_ALGO_", {
  SHA1: 1,
  SHA256: 2,
});

/**
 * The longest HMAC secret the kernel keeps (SEG6_HMAC_SECRET_LEN, bytes) and
 * the size of the HMAC field in a segment routing header (SEG6_HMAC_FIELD_LEN).
 *
 * @example
 * ```ts
 * import { SEG6_HMAC } from "./attrs.ts";
 * SEG6_HMAC.SECRET_LEN; // 64
 * ```
 */
export const SEG6_HMAC: { readonly SECRET_LEN: number; readonly FIELD_LEN: number } = cTable(
  "linux/seg6_hmac.h",
  "SEG6_HMAC_",
  { SECRET_LEN: 64, FIELD_LEN: 32 },
);

/**
 * SEG6_ATTR_*: the tunnel source address (DST), an HMAC key's id, secret,
 * secret length and algorithm. HMACINFO and DSTLEN are defined by the header
 * but neither sent nor read by the kernel.
 */
export const SEG6_ATTRS: AttrSchema = attrSchema("SEG6_ATTR_", "linux/seg6_genl.h", {
  DST: { id: 1, type: "ipv6", name: "dst" },
  DSTLEN: { id: 2, type: "s32" },
  HMACKEYID: { id: 3, type: "u32", name: "keyId" },
  SECRET: { id: 4, type: "binary" },
  SECRETLEN: { id: 5, type: "u8", name: "secretLen" },
  ALGID: { id: 6, type: "u8", name: "algorithm", enum: SEG6_HMAC_ALGO },
  HMACINFO: { id: 7, type: "binary" },
});

/** A SEG6 message: genlmsghdr and SEG6_ATTR_*. */
export const SEG6_MESSAGE: MessageSchema = genlMessageSchema("seg6", SEG6_ATTRS);
