/**
 * Segment routing (SRv6) settings of a network namespace through the `SEG6`
 * generic netlink family (what `ip sr` does): the source address of packets
 * the kernel encapsulates (tunsrc), and the HMAC keys that sign and check
 * segment routing headers. Requests are byte for byte what iproute2's
 * `ip sr` sends.
 *
 * @module
 */
import type { NetlinkConnection } from "../../core/connection.ts";
import { ValidationError } from "../../core/errors.ts";
import { REQUEST_FLAGS } from "../../core/header.ts";
import { decodeMessage, type MessageView } from "../../core/message.ts";
import { familyBeside, withFamilyId } from "../connection.ts";
import { genlRequest } from "../header.ts";
import { SEG6_CMD, SEG6_GENL, SEG6_GENL_NAME, SEG6_HMAC, SEG6_MESSAGE } from "./attrs.ts";

/** An HMAC algorithm of segment routing headers. */
export type Seg6HmacAlgorithm = "sha1" | "sha256";

/** One HMAC key, as the kernel lists it (`ip sr hmac show`). */
export interface Seg6Hmac {
  /** The key id (what a segment routing header's HMAC TLV names). */
  keyId: number;
  /** `sha1` or `sha256` (a number for an algorithm nlink does not know). */
  algorithm: Seg6HmacAlgorithm | number;
  /** The secret, as the bytes it was set with. */
  secret: Uint8Array;
}

/** What {@linkcode setSeg6Hmac} sets. */
export interface Seg6HmacOptions {
  /** The key id: 1 to 4294967295. */
  keyId: number;
  /** The algorithm. */
  algorithm: Seg6HmacAlgorithm;
  /**
   * The secret, up to 64 bytes (a string is taken as UTF-8). An empty secret
   * deletes the key, as the kernel defines it.
   */
  secret: string | Uint8Array;
}

const encoder = new TextEncoder();

/** The SEG6 commands a request can carry. */
export type Seg6Command = "sethmac" | "dumphmac" | "set_tunsrc" | "get_tunsrc";

/** The flags iproute2 sends each command with: changes want an ack, the HMAC list is a dump. */
const FLAGS: Readonly<Record<Seg6Command, number>> = {
  sethmac: REQUEST_FLAGS.ack,
  dumphmac: REQUEST_FLAGS.dump,
  set_tunsrc: REQUEST_FLAGS.ack,
  get_tunsrc: REQUEST_FLAGS.get,
};

/**
 * One SEG6 request (`familyId`: the family's id on this kernel), with
 * attributes already checked.
 *
 * @example
 * ```ts
 * import { seg6Request } from "./seg6.ts";
 * seg6Request(29, "get_tunsrc").length; // 20
 * ```
 */
export function seg6Request(familyId: number, cmd: Seg6Command, attrs?: Readonly<Record<string, unknown>>): Uint8Array {
  return genlRequest({
    familyId,
    flags: FLAGS[cmd],
    cmd: SEG6_CMD.value(cmd),
    version: SEG6_GENL.VERSION,
    schema: SEG6_MESSAGE,
    attrs,
  });
}

/**
 * The SET_TUNSRC request (`ip sr tunsrc set ADDRESS`). The address must be
 * IPv6; `::` clears the setting (encapsulated packets then take a source
 * address chosen by routing).
 *
 * @example
 * ```ts
 * import { setTunsrcRequest } from "./seg6.ts";
 * setTunsrcRequest(29, "fc00::1").length; // 40
 * ```
 */
export function setTunsrcRequest(familyId: number, address: string): Uint8Array {
  if (typeof address !== "string" || !address.includes(":")) {
    throw new ValidationError("address", address, "expected an IPv6 address");
  }
  return seg6Request(familyId, "set_tunsrc", { dst: address });
}

/**
 * The secret as bytes, checked: at most SEG6_HMAC_SECRET_LEN (64) bytes.
 *
 * @example
 * ```ts
 * import { seg6Secret } from "./seg6.ts";
 * seg6Secret("abc").length; // 3
 * ```
 */
export function seg6Secret(secret: string | Uint8Array): Uint8Array {
  const bytes = typeof secret === "string" ? encoder.encode(secret) : secret;
  if (!(bytes instanceof Uint8Array)) throw new ValidationError("secret", secret, "expected a string or a Uint8Array");
  if (bytes.length > SEG6_HMAC.SECRET_LEN) {
    throw new ValidationError("secret", `(${bytes.length} bytes)`, `at most ${SEG6_HMAC.SECRET_LEN} bytes`);
  }
  return bytes;
}

/**
 * The SETHMAC request (`ip sr hmac set KEYID ALGO`): key id, secret length,
 * algorithm and, unless empty, the secret, in iproute2's order. An empty
 * secret deletes the key.
 *
 * @example
 * ```ts
 * import { setHmacRequest } from "./seg6.ts";
 * setHmacRequest(29, { keyId: 7, algorithm: "sha256", secret: "" }).length; // 44
 * ```
 */
export function setHmacRequest(familyId: number, o: Seg6HmacOptions): Uint8Array {
  if (o === null || typeof o !== "object") {
    throw new ValidationError("hmac", o, "expected { keyId, algorithm, secret }");
  }
  if (!Number.isInteger(o.keyId) || o.keyId < 1 || o.keyId > 0xffffffff) {
    throw new ValidationError("keyId", o.keyId, "expected an integer from 1 to 4294967295");
  }
  if (o.algorithm !== "sha1" && o.algorithm !== "sha256") {
    throw new ValidationError("algorithm", o.algorithm, 'expected "sha1" or "sha256"');
  }
  const secret = seg6Secret(o.secret);
  return seg6Request(familyId, "sethmac", {
    keyId: o.keyId,
    secretLen: secret.length,
    algorithm: o.algorithm,
    ...(secret.length > 0 ? { secret } : {}),
  });
}

/**
 * Decodes a GET_TUNSRC reply of the family `familyId` into the tunnel source
 * address (`::` when none is set); other messages give undefined.
 *
 * @example
 * ```ts ignore
 * import { decodeTunsrc } from "./seg6.ts";
 * decodeTunsrc(msg, 29); // "fc00::1"
 * ```
 */
export function decodeTunsrc(msg: MessageView, familyId: number): string | undefined {
  if (msg.type !== familyId) return undefined;
  const m = decodeMessage(SEG6_MESSAGE, msg);
  if (m.cmd !== SEG6_CMD.value("get_tunsrc")) return undefined;
  return (m.dst as string | undefined) ?? "::";
}

/**
 * Decodes one DUMPHMAC reply of the family `familyId` (the secret cut to
 * the length the kernel states); other messages give undefined.
 *
 * @example
 * ```ts ignore
 * import { decodeHmac } from "./seg6.ts";
 * decodeHmac(msg, 29); // { keyId: 7, algorithm: "sha256", secret: Uint8Array […] }
 * ```
 */
export function decodeHmac(msg: MessageView, familyId: number): Seg6Hmac | undefined {
  if (msg.type !== familyId) return undefined;
  const m = decodeMessage(SEG6_MESSAGE, msg);
  if (m.cmd !== SEG6_CMD.value("dumphmac")) return undefined;
  const secret = (m.secret as Uint8Array | undefined) ?? new Uint8Array(0);
  const length = Math.min((m.secretLen as number | undefined) ?? secret.length, secret.length);
  return {
    keyId: (m.keyId as number | undefined) ?? 0,
    algorithm: (m.algorithm as Seg6HmacAlgorithm | number | undefined) ?? 0,
    secret: secret.slice(0, length),
  };
}

/**
 * The source address of packets the kernel encapsulates with a segment
 * routing header (`ip sr tunsrc show`), in `conn`'s namespace; `::` when
 * unset. Rejects with ENOENT (`isNotFound()`) on a kernel without SRv6.
 *
 * @example
 * ```ts ignore
 * import { Connection } from "@nlink/nlink";
 * import { getSeg6Tunsrc } from "./seg6.ts";
 * using conn = await Connection.open();
 * await getSeg6Tunsrc(conn); // "::"
 * ```
 */
export async function getSeg6Tunsrc(conn: NetlinkConnection): Promise<string> {
  const [genl, id] = await familyBeside(conn, SEG6_GENL_NAME);
  return genl.get(seg6Request(id, "get_tunsrc"), (m) => decodeTunsrc(m, id), "getSeg6Tunsrc");
}

/**
 * Sets the source address of encapsulated packets (`ip sr tunsrc set
 * ADDRESS`); `::` clears it.
 *
 * @example
 * ```ts ignore
 * import { setSeg6Tunsrc } from "./seg6.ts";
 * await setSeg6Tunsrc(conn, "fc00::1");
 * ```
 */
export async function setSeg6Tunsrc(conn: NetlinkConnection, address: string): Promise<void> {
  const request = setTunsrcRequest(0, address);
  const [genl, id] = await familyBeside(conn, SEG6_GENL_NAME);
  await genl.ack(withFamilyId(request, id), `setSeg6Tunsrc ${address}`);
}

/**
 * Every HMAC key of the namespace (`ip sr hmac show`).
 *
 * @example
 * ```ts ignore
 * import { getSeg6Hmacs } from "./seg6.ts";
 * for (const k of await getSeg6Hmacs(conn)) console.log(k.keyId, k.algorithm);
 * ```
 */
export async function getSeg6Hmacs(conn: NetlinkConnection): Promise<Seg6Hmac[]> {
  const [genl, id] = await familyBeside(conn, SEG6_GENL_NAME);
  return genl.dump(seg6Request(id, "dumphmac"), (m) => decodeHmac(m, id), "getSeg6Hmacs");
}

/**
 * Adds or replaces an HMAC key (`ip sr hmac set KEYID ALGO` with a secret);
 * an empty secret deletes the key (ENOENT when there is none).
 *
 * @example
 * ```ts ignore
 * import { setSeg6Hmac } from "./seg6.ts";
 * await setSeg6Hmac(conn, { keyId: 7, algorithm: "sha256", secret: "s3cret" });
 * ```
 */
export async function setSeg6Hmac(conn: NetlinkConnection, options: Seg6HmacOptions): Promise<void> {
  const request = setHmacRequest(0, options);
  const [genl, id] = await familyBeside(conn, SEG6_GENL_NAME);
  await genl.ack(withFamilyId(request, id), `setSeg6Hmac ${options.keyId}`);
}

/**
 * Deletes an HMAC key (SETHMAC with an empty secret; ENOENT when there is
 * none). `algorithm` only fills the attribute the kernel requires.
 *
 * @example
 * ```ts ignore
 * import { delSeg6Hmac } from "./seg6.ts";
 * await delSeg6Hmac(conn, 7);
 * ```
 */
export function delSeg6Hmac(
  conn: NetlinkConnection,
  keyId: number,
  algorithm: Seg6HmacAlgorithm = "sha1",
): Promise<void> {
  return setSeg6Hmac(conn, { keyId, algorithm, secret: "" });
}
