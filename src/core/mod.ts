/**
 * The light part of nlink: its error classes and the address text helpers,
 * without the rtnetlink modules that the root module loads. A program that
 * needs only these (a socket-diagnostics tool, an error reporter) starts
 * faster importing `@nlink/nlink/core`; the classes are the very ones the
 * root module exports, so `instanceof` works across both.
 *
 * @example
 * ```ts
 * import { formatIPv4, NetlinkError } from "@nlink/nlink/core";
 * formatIPv4(new Uint8Array([10, 0, 0, 1])); // "10.0.0.1"
 * new NetlinkError(2, "no such device").isNotFound(); // true
 * ```
 *
 * @module
 */
export {
  DecodeError,
  DumpInterruptedError,
  type ExtendedAck,
  NetlinkError,
  type NetlinkErrorOptions,
  PermissionError,
  ValidationError,
} from "./errors.ts";
export { indexAttrs, OTHER_ATTRS } from "./attr_index.ts";
export {
  formatIP,
  formatIPv4,
  formatIPv6,
  formatMac,
  ipFamily,
  ipv6ZeroRun,
  parseIP,
  parseIPv4,
  parseIPv4Into,
  parseIPv6,
  parseIPv6Into,
  parseMac,
  parsePrefix,
  type Prefix,
} from "../util/addr.ts";
