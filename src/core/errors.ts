/**
 * Errors: every failure nlink reports is a {@linkcode NetlinkError}, carrying the
 * errno (name and number), the kernel's extended-ack message when it sent one,
 * and the operation that failed.
 *
 * @module
 */
import { ERRNO, errnoMessage, errnoName } from "./errno.ts";

/** What the kernel's extended acknowledgement (NLMSGERR_ATTR_*) said about a failure. */
export interface ExtendedAck {
  /** NLMSGERR_ATTR_MSG: the human-readable reason, e.g. `"Nexthop has invalid gateway"`. */
  message?: string;
  /** NLMSGERR_ATTR_OFFS: byte offset of the offending attribute in the request. */
  offset?: number;
  /** The offending attribute, resolved from `offset` against the request we sent. */
  attribute?: { type: number; offset: number; length: number };
  /** NLMSGERR_ATTR_COOKIE, raw. */
  cookie?: Uint8Array;
  /** NLMSGERR_ATTR_MISS_TYPE: an attribute the kernel needed but did not get. */
  missingType?: number;
  /** NLMSGERR_ATTR_MISS_NEST: offset of the nest that lacks `missingType`. */
  missingNest?: number;
  /** NLMSGERR_ATTR_POLICY, raw: the policy the offending attribute violated. */
  policy?: Uint8Array;
}

/** Options for {@linkcode NetlinkError}. */
export interface NetlinkErrorOptions {
  /** Extended-ack details. */
  extAck?: ExtendedAck;
  /** What was being done, e.g. `"addRoute 10.0.0.0/24"`. */
  operation?: string;
  /** The underlying error, if any. */
  cause?: unknown;
}

/**
 * A failure reported by the kernel, by a system call, or by nlink's own checks.
 *
 * @example
 * ```ts
 * import { NetlinkError } from "./errors.ts";
 * try {
 *   throw NetlinkError.fromErrno(17, { operation: "addAddress 10.0.0.1/24 dev p0" });
 * } catch (e) {
 *   if (e instanceof NetlinkError && e.isExists()) console.log("already there");
 * }
 * ```
 */
export class NetlinkError extends Error {
  /** Errno number (positive), e.g. 2. 0 when not an errno-style failure. */
  readonly errno: number;
  /** Errno name, e.g. `"ENOENT"`. */
  readonly code: string;
  /** Extended-ack details from the kernel. */
  readonly extAck?: ExtendedAck;
  /** The operation that failed. */
  readonly operation?: string;

  /** Builds an error; prefer {@linkcode NetlinkError.fromErrno}. */
  constructor(errno: number, message: string, options: NetlinkErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "NetlinkError";
    this.errno = errno;
    this.code = errno === 0 ? "EUNKNOWN" : errnoName(errno);
    if (options.extAck) this.extAck = options.extAck;
    if (options.operation) this.operation = options.operation;
  }

  /**
   * An error for an errno number, with the kernel's extended-ack message appended.
   *
   * @example
   * ```ts
   * import { NetlinkError } from "./errors.ts";
   * NetlinkError.fromErrno(19, { operation: "getLink eth9" }).message;
   * // "getLink eth9: No such device (ENODEV)"
   * ```
   */
  static fromErrno(errno: number, options: NetlinkErrorOptions = {}): NetlinkError {
    const n = Math.abs(errno);
    let msg = `${errnoMessage(n)} (${errnoName(n)})`;
    if (options.extAck?.message) msg += `: ${options.extAck.message}`;
    if (options.operation) msg = `${options.operation}: ${msg}`;
    return new NetlinkError(n, msg, options);
  }

  /** The text iproute2 would print, e.g. `"File exists"` (glibc's strerror). */
  get reason(): string {
    return errnoMessage(this.errno);
  }

  /** ENOENT, ENODEV, ESRCH, EADDRNOTAVAIL: the object is not there. */
  isNotFound(): boolean {
    return this.errno === ERRNO.ENOENT || this.errno === ERRNO.ENODEV ||
      this.errno === ERRNO.ESRCH || this.errno === ERRNO.EADDRNOTAVAIL;
  }
  /** EEXIST: the object is already there. */
  isExists(): boolean {
    return this.errno === ERRNO.EEXIST;
  }
  /** EPERM or EACCES: not allowed (needs CAP_NET_ADMIN, or a permission flag). */
  isPermission(): boolean {
    return this.errno === ERRNO.EPERM || this.errno === ERRNO.EACCES;
  }
  /** EBUSY: the object is in use. */
  isBusy(): boolean {
    return this.errno === ERRNO.EBUSY;
  }
  /** EINVAL: the kernel (or nlink) rejected an argument. */
  isInvalid(): boolean {
    return this.errno === ERRNO.EINVAL;
  }
  /** ENODEV: no such network device. */
  isNoDevice(): boolean {
    return this.errno === ERRNO.ENODEV;
  }
  /** EOPNOTSUPP, ENOTSUPP (524), EAFNOSUPPORT, EPROTONOSUPPORT: the kernel lacks the feature. */
  isNotSupported(): boolean {
    return this.errno === ERRNO.EOPNOTSUPP || this.errno === 524 ||
      this.errno === ERRNO.EAFNOSUPPORT || this.errno === ERRNO.EPROTONOSUPPORT;
  }
  /** ENETUNREACH or EHOSTUNREACH. */
  isUnreachable(): boolean {
    return this.errno === ERRNO.ENETUNREACH || this.errno === ERRNO.EHOSTUNREACH;
  }
  /** ETIMEDOUT. */
  isTimeout(): boolean {
    return this.errno === ERRNO.ETIMEDOUT;
  }
  /** ENOBUFS: a receive buffer overran and messages were lost. */
  isOverrun(): boolean {
    return this.errno === ERRNO.ENOBUFS;
  }
  /** A dump was interrupted by a concurrent change (NLM_F_DUMP_INTR). */
  isDumpInterrupted(): boolean {
    return this instanceof DumpInterruptedError;
  }
}

/**
 * Bad input, refused before anything was sent: names the field and the value.
 *
 * @example
 * ```ts
 * import { ValidationError } from "./errors.ts";
 * const e = new ValidationError("mtu", -1, "must be a u32");
 * e.message; // "invalid mtu: -1 (must be a u32)"
 * ```
 */
export class ValidationError extends NetlinkError {
  /** The option or attribute that was wrong. */
  readonly field: string;
  /** The value it had. */
  readonly value: unknown;
  /** What was expected. */
  readonly why: string;

  /** Builds the error; `why` says what was expected. */
  constructor(field: string, value: unknown, why: string, options: NetlinkErrorOptions = {}) {
    super(ERRNO.EINVAL, `invalid ${field}: ${show(value)} (${why})`, options);
    this.name = "ValidationError";
    this.field = field;
    this.value = value;
    this.why = why;
  }
}

/**
 * Bytes that do not parse as netlink: a truncated header, an attribute that
 * overruns its parent, a value of the wrong size.
 *
 * @example
 * ```ts
 * import { DecodeError } from "./errors.ts";
 * new DecodeError("attribute length 2 < 4", 16).offset; // 16
 * ```
 */
export class DecodeError extends NetlinkError {
  /** Byte offset of the problem within the buffer being decoded. */
  readonly offset: number;

  /** Builds the error. */
  constructor(message: string, offset: number) {
    super(ERRNO.EBADMSG, `malformed netlink data at byte ${offset}: ${message}`);
    this.name = "DecodeError";
    this.offset = offset;
  }
}

/**
 * A dump was interrupted (NLM_F_DUMP_INTR): the table changed while it was read,
 * so the result may be inconsistent. Thrown when the caller asked for `"error"`,
 * or when retries ran out.
 *
 * @example
 * ```ts
 * import { DumpInterruptedError } from "./errors.ts";
 * new DumpInterruptedError("getRoutes").isDumpInterrupted(); // true
 * ```
 */
export class DumpInterruptedError extends NetlinkError {
  /** Builds the error. */
  constructor(operation: string) {
    super(
      ERRNO.EINTR,
      `${operation}: dump interrupted by a concurrent change (NLM_F_DUMP_INTR); the result may be inconsistent`,
      { operation },
    );
    this.name = "DumpInterruptedError";
  }
}

/**
 * Deno refused a permission nlink needs; the message names the flag.
 *
 * @example
 * ```ts
 * import { PermissionError } from "./errors.ts";
 * new PermissionError("--allow-ffi", "open a netlink socket").message;
 * ```
 */
export class PermissionError extends NetlinkError {
  /** The Deno flag that grants the permission, e.g. `"--allow-ffi"`. */
  readonly flag: string;

  /** Builds the error. */
  constructor(flag: string, needed: string, cause?: unknown) {
    super(ERRNO.EPERM, `nlink needs ${flag} to ${needed} (run deno with ${flag})`, { cause });
    this.name = "PermissionError";
    this.flag = flag;
  }
}

function show(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "bigint") return `${value}n`;
  try {
    return typeof value === "object" ? JSON.stringify(value) ?? String(value) : String(value);
  } catch {
    return String(value);
  }
}
