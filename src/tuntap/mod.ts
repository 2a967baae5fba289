/**
 * TUN/TAP devices: create them (in any network namespace), read and write
 * packets asynchronously on one or many queues, make them persistent, list
 * and delete them.
 *
 * @example
 * ```ts ignore
 * import { createTun } from "@nlink/nlink";
 * using tun = createTun({ mode: "tun", name: "vpn%d" });
 * for await (const packet of tun) console.log(tun.name, packet.length);
 * ```
 *
 * @module
 */
export { createTun, TunDevice } from "./device.ts";
export { DEFAULT_READ_BUFFER, TunQueue } from "./queue.ts";
export {
  type CheckedTunOptions,
  checkTunName,
  checkTunOptions,
  type TunMode,
  type TunOffload,
  type TunOptions,
} from "./options.ts";
export { listTunTap, type ListTunTapOptions, type TunTapInfo } from "./list.ts";
export { deleteTunTap } from "./delete.ts";
export { findTunProcesses, type TunProcess, type TunProcessScan } from "./processes.ts";
export { decodeTunData, TUN_ATTRS, TUN_TYPE, type TunLinkData } from "../route/kinds/tun.ts";
export { TUN_FLAG, TUN_OFFLOAD } from "../../ffi/tun.ts";
