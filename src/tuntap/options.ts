/**
 * The options of a tun/tap device and their checks: everything is validated,
 * and turned into TUNSETIFF flags, before `/dev/net/tun` is opened.
 *
 * @module
 */
import { ValidationError } from "../core/errors.ts";
import type { NetnsTarget } from "../netns/mod.ts";
import { IFNAMSIZ, TUN_FLAG, TUN_OFFLOAD } from "../../ffi/tun.ts";

/** `"tun"`: IP packets (layer 3); `"tap"`: Ethernet frames (layer 2). */
export type TunMode = "tun" | "tap";

/** A GSO offload the reader can handle (TUNSETOFFLOAD; needs `vnetHdr`). */
export type TunOffload = "csum" | "tso4" | "tso6" | "tso_ecn" | "ufo";

/** Options of {@linkcode createTun}. */
export interface TunOptions {
  /** `"tun"` or `"tap"`. */
  mode: TunMode;
  /**
   * The device name, or a pattern with one `%d` (`"vpn%d"`) for the first free
   * number; default: the kernel's `tun%d` / `tap%d`. An existing device of this
   * name is attached to (unless `exclusive`), taking these options' flags.
   */
  name?: string;
  /** Packets start with the 4-byte struct tun_pi (flags, protocol); default false (IFF_NO_PI). */
  packetInfo?: boolean;
  /** Packets start with a virtio-net header (IFF_VNET_HDR). */
  vnetHdr?: boolean;
  /** The virtio-net header's size (TUNSETVNETHDRSZ), 10 or more; the kernel's default is 10. */
  vnetHdrSize?: number;
  /** GSO offloads the reader accepts (TUNSETOFFLOAD; needs `vnetHdr`). */
  offload?: readonly TunOffload[];
  /** Several queues, each its own file descriptor (IFF_MULTI_QUEUE); see `TunDevice.openQueue`. */
  multiQueue?: boolean;
  /** IFF_ONE_QUEUE: kept for compatibility; the kernel ignores it. */
  oneQueue?: boolean;
  /** Receive written packets through NAPI (IFF_NAPI). */
  napi?: boolean;
  /** With `napi`: packets written in fragments (IFF_NAPI_FRAGS, tap only). */
  napiFrags?: boolean;
  /** Start without carrier (IFF_NO_CARRIER). */
  noCarrier?: boolean;
  /** Fail with EBUSY instead of attaching when the device exists (IFF_TUN_EXCL). */
  exclusive?: boolean;
  /** Keep the device when its last file descriptor closes (TUNSETPERSIST). */
  persist?: boolean;
  /** Let this uid open the device (TUNSETOWNER). */
  owner?: number;
  /** Let this gid open the device (TUNSETGROUP). */
  group?: number;
  /** Create (or find) the device in this network namespace. */
  netns?: NetnsTarget;
  /** Bytes read per packet at most (default 65,600: any MTU plus headers). */
  readBuffer?: number;
}

const BOOLEANS = [
  "packetInfo",
  "vnetHdr",
  "multiQueue",
  "oneQueue",
  "napi",
  "napiFrags",
  "noCarrier",
  "exclusive",
  "persist",
] as const;

const OFFLOADS: Record<TunOffload, number> = {
  csum: TUN_OFFLOAD.CSUM,
  tso4: TUN_OFFLOAD.TSO4,
  tso6: TUN_OFFLOAD.TSO6,
  tso_ecn: TUN_OFFLOAD.TSO_ECN,
  ufo: TUN_OFFLOAD.UFO,
};

/** Smallest virtio-net header (struct virtio_net_hdr). */
const VNET_HDR_MIN = 10;

/**
 * Checks a device name or `%d` pattern the way the kernel will (dev_valid_name,
 * dev_alloc_name) and returns it; `""` asks the kernel to choose.
 *
 * @example
 * ```ts
 * import { checkTunName } from "./options.ts";
 * checkTunName("vpn%d"); // "vpn%d"
 * ```
 */
export function checkTunName(name: unknown, field = "name"): string {
  if (name === undefined) return "";
  if (typeof name !== "string" || name === "") throw new ValidationError(field, name, "expected a device name");
  if (new TextEncoder().encode(name).length >= IFNAMSIZ) {
    throw new ValidationError(field, name, `expected at most ${IFNAMSIZ - 1} bytes`);
  }
  if (name === "." || name === ".." || /[/:\s\0]/.test(name)) {
    throw new ValidationError(field, name, "a device name has no '/', ':' or white space and is not . or ..");
  }
  const percent = name.split("%").length - 1;
  if (percent > 1 || (percent === 1 && !name.includes("%d"))) {
    throw new ValidationError(field, name, "a name pattern has exactly one %d");
  }
  return name;
}

function checkId(value: unknown, field: string): number | undefined {
  if (value === undefined) return undefined;
  // (uid_t)-1 means "no owner" to the kernel: not a value one can set.
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > 0xfffffffe) {
    throw new ValidationError(field, value, "expected an id 0..4294967294");
  }
  return value;
}

/** The checked options with their TUNSETIFF flags. */
export interface CheckedTunOptions {
  /** The name or pattern ("" for the kernel's default). */
  name: string;
  /** `"tun"` or `"tap"`. */
  mode: TunMode;
  /** TUNSETIFF flags (IFF_*). */
  flags: number;
  /** TUNSETOFFLOAD bits, when asked. */
  offload?: number;
  /** The options as given. */
  options: TunOptions;
}

/**
 * Validates {@linkcode TunOptions} (throwing a `ValidationError` naming the
 * field and value) and computes the TUNSETIFF flags. Nothing is opened.
 *
 * @example
 * ```ts
 * import { checkTunOptions } from "./options.ts";
 * checkTunOptions({ mode: "tun", name: "vpn0" }).flags; // 0x1001 (IFF_TUN | IFF_NO_PI)
 * ```
 */
export function checkTunOptions(options: TunOptions): CheckedTunOptions {
  if (options === null || typeof options !== "object") {
    throw new ValidationError("options", options, "expected an object with at least a mode");
  }
  const mode = options.mode;
  if (mode !== "tun" && mode !== "tap") throw new ValidationError("mode", mode, 'expected "tun" or "tap"');
  const name = checkTunName(options.name);
  for (const key of BOOLEANS) {
    const v = options[key];
    if (v !== undefined && typeof v !== "boolean") throw new ValidationError(key, v, "expected true or false");
  }
  checkId(options.owner, "owner");
  checkId(options.group, "group");
  if (options.napiFrags && !options.napi) {
    throw new ValidationError("napiFrags", true, "napiFrags needs napi");
  }
  if (options.napiFrags && mode !== "tap") throw new ValidationError("napiFrags", true, "napiFrags is for tap only");
  const size = options.vnetHdrSize;
  if (size !== undefined && (typeof size !== "number" || !Number.isInteger(size) || size < VNET_HDR_MIN)) {
    throw new ValidationError("vnetHdrSize", size, `expected an integer of at least ${VNET_HDR_MIN}`);
  }
  if (size !== undefined && !options.vnetHdr) {
    throw new ValidationError("vnetHdrSize", size, "a virtio-net header size needs vnetHdr: true");
  }
  let offload: number | undefined;
  if (options.offload !== undefined) {
    if (!Array.isArray(options.offload)) {
      throw new ValidationError("offload", options.offload, `expected a list of ${Object.keys(OFFLOADS).join(", ")}`);
    }
    offload = 0;
    for (const [i, o] of options.offload.entries()) {
      if (!Object.hasOwn(OFFLOADS, o)) {
        throw new ValidationError(`offload[${i}]`, o, `expected one of ${Object.keys(OFFLOADS).join(", ")}`);
      }
      offload |= OFFLOADS[o as TunOffload];
    }
    if (offload !== 0 && !options.vnetHdr) {
      throw new ValidationError("offload", options.offload, "offloads need vnetHdr: true");
    }
  }
  const rb = options.readBuffer;
  if (rb !== undefined && (typeof rb !== "number" || !Number.isInteger(rb) || rb < 64 || rb > 1 << 24)) {
    throw new ValidationError("readBuffer", rb, "expected an integer 64..16777216");
  }
  let flags = mode === "tun" ? TUN_FLAG.TUN : TUN_FLAG.TAP;
  if (!options.packetInfo) flags |= TUN_FLAG.NO_PI;
  if (options.vnetHdr) flags |= TUN_FLAG.VNET_HDR;
  if (options.multiQueue) flags |= TUN_FLAG.MULTI_QUEUE;
  if (options.oneQueue) flags |= TUN_FLAG.ONE_QUEUE;
  if (options.napi) flags |= TUN_FLAG.NAPI;
  if (options.napiFrags) flags |= TUN_FLAG.NAPI_FRAGS;
  if (options.noCarrier) flags |= TUN_FLAG.NO_CARRIER;
  if (options.exclusive) flags |= TUN_FLAG.TUN_EXCL;
  return { name, mode, flags, offload, options };
}
