/**
 * Saved notification files, as iproute2's `rtmon file FILE` writes them and
 * `ip monitor file FILE` / `tc monitor file FILE` read them back: rtnetlink
 * messages one after another, each padded to 4 bytes, with no magic number;
 * rtmon puts a time stamp message (type 15, two u32: seconds and
 * microseconds) before each notification after its initial dump. Reading
 * stops where iproute2's rtnl_from_file stops: at a truncated message, or a
 * message whose length is below a header or above 16 KiB.
 *
 * @module
 */
import type { MessageView } from "../core/message.ts";
import type { NetworkEvent } from "./events.ts";

/** The message type rtmon gives its time stamps (iproute2's NLMSG_TSTAMP; not a kernel type). */
export const MONITOR_FILE_TIMESTAMP = 15;

/** nlmsghdr's size. */
const NLMSG_HDRLEN = 16;
/** iproute2 reads each saved message into a buffer of this size. */
const MAX_MESSAGE = 16384;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The header of a saved message. */
export interface MonitorFileHeader {
  /** nlmsg_type. */
  type: number;
  /** nlmsg_flags. */
  flags: number;
  /** nlmsg_len. */
  length: number;
}

/** One saved message: a decoded notification, an rtmon time stamp, or a control message (error, done, noop). */
export type MonitorFileEntry =
  | { kind: "event"; header: MonitorFileHeader; event: NetworkEvent }
  | { kind: "timestamp"; header: MonitorFileHeader; seconds: number; microseconds: number }
  | { kind: "control"; header: MonitorFileHeader };

/** Where and why reading stopped early. */
export interface MonitorFileDamage {
  /** `truncated`: the file ends inside a message; `malformed`: a length below a header or above 16 KiB. */
  reason: "truncated" | "malformed";
  /** The bad nlmsg_len (malformed only). */
  length?: number;
  /** The file offset after the damaged message's header (what iproute2 reports), or where the file ended. */
  offset: number;
}

/** What a saved notification file holds: the whole messages in order, and the damage that ended it, if any. */
export interface MonitorFile {
  /** The messages before any damage. */
  entries: MonitorFileEntry[];
  /** Why reading stopped before the end, when it did. */
  damage?: MonitorFileDamage;
}

/**
 * Reads a saved notification file (`rtmon file FILE`, or messages saved the
 * same way) into events, decoded as a live event stream decodes them
 * (traffic control's included).
 *
 * @example
 * ```ts ignore
 * import { readMonitorFile } from "@nlink/nlink";
 * const { entries } = await readMonitorFile(await Deno.readFile("/tmp/rtmon.log"));
 * for (const e of entries) if (e.kind === "event") console.log(e.event.type);
 * ```
 */
export async function readMonitorFile(file: Uint8Array): Promise<MonitorFile> {
  // The decoders load only when a file is read, so importing this costs nothing at start-up.
  const { decodeEvent } = await import("./events.ts");
  await import("../tc/events.ts");
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const entries: MonitorFileEntry[] = [];
  let at = 0;
  while (at < file.length) {
    if (file.length - at < NLMSG_HDRLEN) return { entries, damage: { reason: "truncated", offset: file.length } };
    const length = view.getUint32(at, LITTLE_ENDIAN);
    const header = {
      type: view.getUint16(at + 4, LITTLE_ENDIAN),
      flags: view.getUint16(at + 6, LITTLE_ENDIAN),
      length,
    };
    if (length < NLMSG_HDRLEN || length > MAX_MESSAGE) {
      return { entries, damage: { reason: "malformed", length: length | 0, offset: at + NLMSG_HDRLEN } };
    }
    const padded = NLMSG_HDRLEN + ((length - NLMSG_HDRLEN + 3) & ~3);
    if (at + padded > file.length) return { entries, damage: { reason: "truncated", offset: file.length } };
    if (header.type === MONITOR_FILE_TIMESTAMP) {
      const seconds = length >= NLMSG_HDRLEN + 4 ? view.getUint32(at + 16, LITTLE_ENDIAN) : 0;
      const microseconds = length >= NLMSG_HDRLEN + 8 ? view.getUint32(at + 20, LITTLE_ENDIAN) : 0;
      entries.push({ kind: "timestamp", header, seconds, microseconds });
    } else if (header.type < 0x10) entries.push({ kind: "control", header });
    else {
      const m: MessageView = {
        bytes: file,
        view,
        offset: at,
        length,
        type: header.type,
        flags: header.flags,
        seq: view.getUint32(at + 8, LITTLE_ENDIAN),
        pid: view.getUint32(at + 12, LITTLE_ENDIAN),
      };
      entries.push({ kind: "event", header, event: decodeEvent(m) });
    }
    at += padded;
  }
  return { entries };
}
