/**
 * tc(8)'s units: rates, sizes and times read and printed exactly as iproute2
 * 6.1's `tc` reads and prints them, and the packet-scheduler clock ("psched")
 * arithmetic that turns a rate and a burst into the tick counts and the 256-slot
 * rate tables the kernel's tbf, htb and police expect.
 *
 * Exactness matters here in two ways. The requests we build must carry the same
 * numbers iproute2 sends (so every conversion repeats C's double arithmetic and
 * its conversions to unsigned integers, truncation and wrap-around included),
 * and the `tc` command-line tool built on nlink must print byte for byte what
 * iproute2 prints (so `%g`-style output is reproduced with C's rounding: ties go
 * to the even digit, where JavaScript's `toPrecision` rounds them up).
 *
 * Parsers take the option's name as `field` and throw a
 * {@linkcode ValidationError} naming it and the value when the input is not
 * something tc would accept, or when tc would accept it only to overflow or go
 * negative silently (those are refused here).
 *
 * @module
 */
import { ValidationError } from "../core/errors.ts";

/** Time units per second in tc's userspace API: times are microseconds (iproute2's TIME_UNITS_PER_SEC). */
export const TIME_UNITS_PER_SEC = 1_000_000;

/*
 * The psched clock. iproute2 reads /proc/net/psched at start-up: the kernel
 * prints NSEC_PER_USEC, PSCHED_TICKS2NS(1), 1000000 and NSEC_PER_SEC/hrtimer
 * resolution. Since Linux 2.6.31 (PSCHED_SHIFT = 6, one tick = 64 ns) every
 * kernel prints `000003e8 00000040 000f4240 …`: t2us = 1000, us2t = 64,
 * clock_res = 1000000. tc then computes clock_factor = clock_res / 1e6 = 1 and
 * tick_in_usec = t2us / us2t * clock_factor = 1000 / 64 = 15.625. The values
 * cannot change without breaking every tc binary, so they are constants here
 * rather than a file read.
 */
const CLOCK_FACTOR = 1;

/** psched ticks per microsecond (one tick is 64 ns): tc's `tick_in_usec`, 1000 / 64 = 15.625. */
export const PSCHED_TICKS_PER_USEC: number = (1000 / 64) * CLOCK_FACTOR;
const TICK_IN_USEC = PSCHED_TICKS_PER_USEC;

const NSEC_PER_USEC = 1_000;
const NSEC_PER_MSEC = 1_000_000;
const NSEC_PER_SEC = 1_000_000_000;
const U32_LIMIT = 2 ** 32;
const U64_MAX = (1n << 64n) - 1n;
const S64_MAX = (1n << 63n) - 1n;

// ---------------------------------------------------------------------------
// C number handling

/**
 * C's strtod on a prefix of `s` (C locale): leading white space, a sign, then a
 * decimal number with optional exponent, a hexadecimal one (`0x1.8p3`), `inf`,
 * `infinity` or `nan(…)`. `end` is how many characters were used, 0 when none
 * were (C's `p == str`). tc takes the number this way and the unit from what
 * follows, so "1e3bit", " 1mbit", "0x10kbit" and "1.kbit" are all valid.
 */
function strtod(s: string): { value: number; end: number } {
  const m = /^[ \t\n\v\f\r]*([+-]?)/.exec(s)!;
  const sign = m[1] === "-" ? -1 : 1;
  let i = m[0].length;
  const rest = s.slice(i);
  const special = /^(inf(inity)?|nan(\([0-9A-Za-z_]*\))?)/i.exec(rest);
  if (special) {
    const value = special[0][0].toLowerCase() === "i" ? sign * Infinity : NaN;
    return { value, end: i + special[0].length };
  }
  const hex = /^0[xX]((?:[0-9a-fA-F]+\.?[0-9a-fA-F]*)|(?:\.[0-9a-fA-F]+))([pP][+-]?[0-9]+)?/.exec(rest);
  if (hex) {
    const [intDigits, fracDigits = ""] = hex[1].split(".");
    const mantissa = BigInt("0x" + ((intDigits + fracDigits) || "0"));
    const exp = (hex[2] ? Number(hex[2].slice(1)) : 0) - 4 * fracDigits.length;
    return { value: sign * scaleByPowerOfTwo(mantissa, exp), end: i + hex[0].length };
  }
  const dec = /^(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?/.exec(rest);
  if (!dec) return { value: 0, end: 0 };
  i += dec[0].length;
  // Number() rounds a decimal string correctly, as glibc's strtod does.
  return { value: sign * Number(dec[0]), end: i };
}

/** mantissa × 2^exp as a double (for hexadecimal floats; exact but for subnormal results). */
function scaleByPowerOfTwo(mantissa: bigint, exp: number): number {
  if (mantissa === 0n) return 0;
  // Keep the exponent in range for the multiplication: fold large shifts into the integer.
  if (exp > 0 && exp < 2000) return Number(mantissa << BigInt(exp));
  let v = Number(mantissa);
  while (exp > 0 && Number.isFinite(v)) {
    const step = Math.min(exp, 1000);
    v *= 2 ** step;
    exp -= step;
  }
  while (exp < 0 && v !== 0) {
    const step = Math.min(-exp, 1000);
    v /= 2 ** step;
    exp += step;
  }
  return v;
}

/** strcasecmp's folding: ASCII letters only (C locale); `toLowerCase` would also fold e.g. the Kelvin sign to "k". */
function asciiLower(s: string): string {
  return s.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));
}

/**
 * A double converted to `unsigned int` the way gcc does it on x86-64: truncate
 * toward zero into a signed 64-bit register and keep the low 32 bits. In range
 * that is C's conversion; out of range (C leaves it undefined) it wraps modulo
 * 2^32, and NaN or magnitudes of 2^63 and more give 0 (the "integer indefinite"
 * 0x8000000000000000, whose low half is 0). tc relies on this silently, e.g.
 * when a tick count overflows.
 */
function cU32(x: number): number {
  if (Number.isNaN(x) || Math.abs(x) >= 2 ** 63) return 0;
  return x >>> 0;
}

/**
 * A double converted to `unsigned int` by the packed instructions gcc 12 emits
 * at -O2 for tc's rate-table loop (which it vectorizes): values from 2^31 are
 * offset by 2^31 before a signed 32-bit conversion, so anything of 2^32 and more
 * (and +Infinity) saturates to the "indefinite" 0x80000000, which the offset
 * then turns into 0; NaN gives 0x80000000. Below 2^32 it is C's truncation. The
 * scalar path ({@linkcode cU32}) wraps instead, so one overflowing rate table
 * slot and the overflowing buffer of the same request differ; iproute2 6.1's
 * real `tc` request bytes show both (see tests/unit/tc_units_test.ts).
 */
function vecU32(x: number): number {
  if (Number.isNaN(x)) return 0x80000000;
  if (x >= 2 ** 31) return x - 2 ** 31 < 2 ** 31 ? Math.trunc(x) : 0;
  return x > -(2 ** 31) - 1 ? Math.trunc(x) >>> 0 : 0x80000000;
}

/**
 * A rate passed to a C `__u64` parameter, then used as a double: truncated to
 * u64, then rounded to the nearest double (ties to even), as C converts it.
 */
function u64ToDouble(v: bigint | number): number {
  return Number(toU64(v, "rate"));
}

// ---------------------------------------------------------------------------
// Parsing

/** A rate suffix and how many bits per second one of it is (iproute2's table, NIST units). */
const RATE_SUFFIXES: ReadonlyMap<string, number> = new Map([
  ["bit", 1],
  ["kibit", 1024],
  ["kbit", 1000],
  ["mibit", 1024 * 1024],
  ["mbit", 1000000],
  ["gibit", 1024 * 1024 * 1024],
  ["gbit", 1000000000],
  ["tibit", 1024 * 1024 * 1024 * 1024],
  ["tbit", 1000000000000],
  ["bps", 8],
  ["kibps", 8 * 1024],
  ["kbps", 8000],
  ["mibps", 8 * 1024 * 1024],
  ["mbps", 8000000],
  ["gibps", 8 * 1024 * 1024 * 1024],
  ["gbps", 8000000000],
  ["tibps", 8 * 1024 * 1024 * 1024 * 1024],
  ["tbps", 8000000000000],
]);

/** Splits a tc number-with-unit, or throws when no number starts it. */
function numberAndUnit(value: string, field: string, what: string): { n: number; unit: string; raw: string } {
  const { value: n, end } = strtod(value);
  if (end === 0) throw new ValidationError(field, value, `not a ${what}`);
  const raw = value.slice(end);
  return { n, unit: asciiLower(raw), raw };
}

/**
 * A rate, in bytes per second (the kernel's unit), read as tc's `get_rate64`
 * reads it. A string is a number and an optional unit: `bit`, `kbit`, `mbit`,
 * `gbit`, `tbit` (powers of 1000) or `kibit`, `mibit`, `gibit`, `tibit` (powers
 * of 1024) are bits per second; `bps`, `kbps`, `mbps`, `gbps`, `tbps`, `kibps`,
 * … are bytes per second (note: `mbps` is megabytes, not megabits). Units are
 * case-insensitive (ASCII only); a bare number is bits per second. The result is
 * `bits × scale / 8`, truncated toward zero, so "12345bit" is 1543 bytes/s and
 * prints back as "12344bit", as with tc. A number or bigint is already bytes per
 * second and must be a non-negative integer.
 *
 * @throws {ValidationError} unknown unit, no number, negative, NaN, or not below 2^64.
 * @example
 * ```ts
 * import { parseRate } from "./units.ts";
 * parseRate("1mbit", "rate"); // 125000n
 * parseRate("100Mbps", "rate"); // 100000000n (bytes)
 * parseRate("1Kibit", "rate"); // 128n
 * parseRate(125000, "rate"); // 125000n
 * ```
 */
export function parseRate(value: string | number | bigint, field: string): bigint {
  if (typeof value === "bigint") {
    if (value < 0n || value > U64_MAX) throw new ValidationError(field, value, "must be a u64 (bytes per second)");
    return value;
  }
  if (typeof value === "number") {
    if (!Number.isInteger(value) || value < 0 || value >= 2 ** 64) {
      throw new ValidationError(field, value, "must be a non-negative integer (bytes per second)");
    }
    return BigInt(value);
  }
  if (typeof value !== "string") throw new ValidationError(field, value, 'must be a rate such as "1mbit"');
  const { n, unit, raw } = numberAndUnit(value, field, "rate");
  let bps = n;
  if (unit !== "") {
    const scale = RATE_SUFFIXES.get(unit);
    if (scale === undefined) throw new ValidationError(field, value, `unknown rate unit "${raw}"`);
    bps *= scale;
  }
  bps /= 8; // bits -> bytes, after scaling: the order of the two roundings is tc's
  if (Number.isNaN(bps)) throw new ValidationError(field, value, "not a number");
  if (bps < 0) throw new ValidationError(field, value, "must not be negative");
  if (bps >= 2 ** 64) throw new ValidationError(field, value, "too large: does not fit 64 bits of bytes per second");
  return BigInt(Math.trunc(bps));
}

/** Size suffixes and their bytes (iproute2 `get_size`: binary multiples; `kbit` is 1024 bits = 128 bytes). */
const SIZE_SUFFIXES: ReadonlyMap<string, number> = new Map([
  ["b", 1],
  ["k", 1024],
  ["kb", 1024],
  ["m", 1024 * 1024],
  ["mb", 1024 * 1024],
  ["g", 1024 * 1024 * 1024],
  ["gb", 1024 * 1024 * 1024],
  ["kbit", 1024 / 8],
  ["mbit", (1024 * 1024) / 8],
  ["gbit", (1024 * 1024 * 1024) / 8],
]);

/**
 * A size in bytes, read as tc's `get_size`: a number and an optional unit,
 * `b` (bytes, also the default), `k`/`kb` (KiB), `m`/`mb` (MiB), `g`/`gb` (GiB),
 * or `kbit`/`mbit`/`gbit` (1024, 1024², 1024³ bits: 128, 131072, 134217728
 * bytes). Case-insensitive; fractions are truncated ("1.5k" is 1536, "1.9" is
 * 1). The result must fit in 32 bits, as tc checks. A number is bytes and must
 * be an integer from 0 to 2^32 - 1.
 *
 * @throws {ValidationError} unknown unit, no number, negative, NaN, or 2^32 and more.
 * @example
 * ```ts
 * import { parseSize } from "./units.ts";
 * parseSize("10k", "burst"); // 10240
 * parseSize("1514", "mtu"); // 1514
 * parseSize("1mbit", "burst"); // 131072
 * ```
 */
export function parseSize(value: string | number, field: string): number {
  if (typeof value === "number") {
    if (!Number.isInteger(value) || value < 0 || value >= U32_LIMIT) {
      throw new ValidationError(field, value, "must be an integer from 0 to 4294967295 (bytes)");
    }
    return value;
  }
  if (typeof value !== "string") throw new ValidationError(field, value, 'must be a size such as "10k"');
  const { n, unit, raw } = numberAndUnit(value, field, "size");
  let sz = n;
  if (unit !== "") {
    const scale = SIZE_SUFFIXES.get(unit);
    if (scale === undefined) throw new ValidationError(field, value, `unknown size unit "${raw}"`);
    sz *= scale;
  }
  // tc stores the double in an unsigned int and refuses the value when that is not floor(sz):
  // which is exactly "0 <= sz < 2^32" (negative fractions included, -0 excepted).
  if (Number.isNaN(sz)) throw new ValidationError(field, value, "not a number");
  if (sz < 0) throw new ValidationError(field, value, "must not be negative");
  if (sz >= U32_LIMIT) throw new ValidationError(field, value, "too large: does not fit 32 bits of bytes");
  return Math.trunc(sz);
}

/** Time units of `get_time` (microseconds) and `get_time64` (nanoseconds). */
const TIME_SUFFIXES: ReadonlyMap<string, { us: number; ns: number }> = new Map<string, { us: number; ns: number }>([
  ...["s", "sec", "secs"].map((u) =>
    [u, { us: TIME_UNITS_PER_SEC, ns: NSEC_PER_SEC }] as [string, { us: number; ns: number }]
  ),
  ...["ms", "msec", "msecs"].map((u) =>
    [u, { us: TIME_UNITS_PER_SEC / 1000, ns: NSEC_PER_MSEC }] as [string, { us: number; ns: number }]
  ),
  ...["us", "usec", "usecs"].map((u) => [u, { us: 1, ns: NSEC_PER_USEC }] as [string, { us: number; ns: number }]),
]);
const NS_SUFFIXES = new Set(["ns", "nsec", "nsecs"]);

/**
 * A time in microseconds (tc's TIME_UNITS_PER_SEC), read as tc's `get_time`:
 * a number and an optional unit, `s`/`sec`/`secs`, `ms`/`msec`/`msecs` or
 * `us`/`usec`/`usecs` (case-insensitive); a bare number is microseconds. The
 * product is truncated toward zero ("1.9us" is 1). tc would wrap values of 2^32
 * µs (about 71 minutes) and more; they are refused here. A number is
 * microseconds and must be an integer from 0 to 2^32 - 1.
 *
 * @throws {ValidationError} unknown unit (including `ns`: get_time has none), no number, negative, NaN, overflow.
 * @example
 * ```ts
 * import { parseTime } from "./units.ts";
 * parseTime("50ms", "latency"); // 50000
 * parseTime("1.5s", "interval"); // 1500000
 * parseTime("250", "target"); // 250
 * ```
 */
export function parseTime(value: string | number, field: string): number {
  if (typeof value === "number") {
    if (!Number.isInteger(value) || value < 0 || value >= U32_LIMIT) {
      throw new ValidationError(field, value, "must be an integer from 0 to 4294967295 (microseconds)");
    }
    return value;
  }
  if (typeof value !== "string") throw new ValidationError(field, value, 'must be a time such as "50ms"');
  const { n, unit, raw } = numberAndUnit(value, field, "time");
  let t = n;
  if (unit !== "") {
    const scale = TIME_SUFFIXES.get(unit);
    if (scale === undefined) throw new ValidationError(field, value, `unknown time unit "${raw}"`);
    t *= scale.us;
  }
  if (Number.isNaN(t)) throw new ValidationError(field, value, "not a number");
  if (t < 0) throw new ValidationError(field, value, "must not be negative");
  if (t >= U32_LIMIT) throw new ValidationError(field, value, "too large: does not fit 32 bits of microseconds");
  return Math.trunc(t);
}

/**
 * A time in nanoseconds, read as tc's `get_time64`: as {@linkcode parseTime}
 * plus `ns`/`nsec`/`nsecs`, and a bare number is nanoseconds (not
 * microseconds). The product is truncated toward zero. The kernel's field is a
 * signed 64-bit integer, so values of 2^63 ns and more are refused, as are
 * negative ones. A number or bigint is nanoseconds and must be a non-negative
 * integer.
 *
 * @throws {ValidationError} unknown unit, no number, negative, NaN, overflow.
 * @example
 * ```ts
 * import { parseTime64 } from "./units.ts";
 * parseTime64("1.5ms", "cycle-time"); // 1500000n
 * parseTime64("200", "base-time"); // 200n (nanoseconds)
 * parseTime64("10us", "slack"); // 10000n
 * ```
 */
export function parseTime64(value: string | number | bigint, field: string): bigint {
  if (typeof value === "bigint") {
    if (value < 0n || value > S64_MAX) {
      throw new ValidationError(field, value, "must be from 0 to 2^63 - 1 (nanoseconds)");
    }
    return value;
  }
  if (typeof value === "number") {
    if (!Number.isInteger(value) || value < 0 || value >= 2 ** 63) {
      throw new ValidationError(field, value, "must be a non-negative integer (nanoseconds)");
    }
    return BigInt(value);
  }
  if (typeof value !== "string") throw new ValidationError(field, value, 'must be a time such as "1.5ms"');
  const { n, unit, raw } = numberAndUnit(value, field, "time");
  let ns = n;
  if (unit !== "" && !NS_SUFFIXES.has(unit)) {
    const scale = TIME_SUFFIXES.get(unit);
    if (scale === undefined) throw new ValidationError(field, value, `unknown time unit "${raw}"`);
    ns *= scale.ns;
  }
  if (Number.isNaN(ns)) throw new ValidationError(field, value, "not a number");
  if (ns < 0) throw new ValidationError(field, value, "must not be negative");
  if (ns >= 2 ** 63) {
    throw new ValidationError(field, value, "too large: does not fit a signed 64-bit nanosecond count");
  }
  return BigInt(Math.trunc(ns));
}

/**
 * A percentage as a fraction from 0 to 1, read as tc's `parse_percent`: a
 * number of percent, optionally followed by `%` ("10%" and "10" are both 0.1,
 * computed as `n / 100`). Out of 0–100 % is an error. (tc takes an empty
 * string, or a lone "%", as 0; that is refused here.) A number is already the
 * fraction and must be from 0 to 1.
 *
 * @throws {ValidationError} not a number, NaN, below 0 % or above 100 %, anything but `%` after the number.
 * @example
 * ```ts
 * import { parsePercent } from "./units.ts";
 * parsePercent("10%", "loss"); // 0.1
 * parsePercent("0.5", "loss"); // 0.005
 * parsePercent(0.25, "loss"); // 0.25
 * ```
 */
export function parsePercent(value: string | number, field: string): number {
  if (typeof value === "number") {
    if (!(value >= 0 && value <= 1)) throw new ValidationError(field, value, "must be a fraction from 0 to 1");
    return value + 0; // -0 becomes 0
  }
  if (typeof value !== "string") throw new ValidationError(field, value, 'must be a percentage such as "10%"');
  const { value: n, end } = strtod(value);
  if (end === 0) throw new ValidationError(field, value, "not a percentage");
  const v = n / 100;
  if (Number.isNaN(v)) throw new ValidationError(field, value, "not a number");
  if (v > 1 || v < 0) throw new ValidationError(field, value, "must be between 0% and 100%");
  const rest = value.slice(end);
  if (rest !== "" && rest !== "%") throw new ValidationError(field, value, 'only "%" may follow the number');
  return v + 0;
}

/**
 * Whether a rate option is a share of the link speed (`"10%"`): tc(8) takes
 * any rate argument holding a `%` as one.
 *
 * @example
 * ```ts
 * import { isPercentRate } from "./units.ts";
 * isPercentRate("10%"); // true
 * isPercentRate("10mbit"); // false
 * ```
 */
export function isPercentRate(value: unknown): value is string {
  return typeof value === "string" && value.includes("%");
}

/**
 * A rate given as a share of a link speed of `speedMbit` Mbit/s, in bytes per
 * second, computed as tc's `get_percent_rate` (`width` 32) and
 * `get_percent_rate64` (`width` 64) compute it: the percentage read as
 * {@linkcode parsePercent} reads it, times the speed times 1000 times 1000
 * bits (double arithmetic, in that order), printed with C's `%lf` (six
 * decimals, ties to even) into a 20-byte buffer (a longer text is refused, as
 * tc refuses it), read back with strtod, divided by 8 and truncated. With
 * `width` 32 the result must fit the kernel's 32-bit field (tc's overflow
 * check). Only digits, `.` and `%` may make up the text (tc ignores what
 * follows them; that is refused here).
 *
 * @throws {ValidationError} not a percentage, below 0 % or above 100 %, a rate too large for `width`.
 * @example
 * ```ts
 * import { percentRate } from "./units.ts";
 * percentRate("10%", 10000, "rate"); // 125000000n (1 Gbit/s)
 * percentRate("0.5%", 100, "rate"); // 62500n
 * ```
 */
export function percentRate(value: string, speedMbit: number, field: string, width: 32 | 64 = 64): bigint {
  if (typeof value !== "string" || !/^[0-9.%]+$/.test(value)) {
    throw new ValidationError(field, value, 'a rate as a share of the link speed is a percentage such as "10%"');
  }
  if (!Number.isInteger(speedMbit) || speedMbit < 0) {
    throw new ValidationError(field, speedMbit, "the link speed must be a non-negative integer of Mbit/s");
  }
  const share = parsePercent(value, field);
  const bits = share * speedMbit * 1000 * 1000;
  const printed = fixedSix(bits);
  // tc prints into char[20]: 19 characters at most (a speed above 800 Gbit/s at 100 %).
  if (printed.length >= 20) throw new ValidationError(field, value, "the computed rate is too large for tc's buffer");
  const bytes = Number(printed) / 8;
  if (width === 32 && bytes >= U32_LIMIT) {
    throw new ValidationError(field, value, "the computed rate does not fit 32 bits of bytes per second");
  }
  return BigInt(Math.trunc(bytes));
}

/** C's `%lf` (six decimals) of a finite non-negative double: exact, ties to even as glibc rounds. */
function fixedSix(x: number): string {
  if (x === 0) return "0.000000";
  const { mantissa, exponent } = decompose(x);
  const num = exponent >= 0 ? (mantissa << BigInt(exponent)) * 1_000_000n : mantissa * 1_000_000n;
  const den = exponent >= 0 ? 1n : 1n << BigInt(-exponent);
  let n = num / den;
  const twice = 2n * (num % den);
  if (twice > den || (twice === den && (n & 1n) === 1n)) n++;
  const digits = n.toString().padStart(7, "0");
  return `${digits.slice(0, -6)}.${digits.slice(-6)}`;
}

// ---------------------------------------------------------------------------
// Printing

/** The bits of a finite positive double as mantissa × 2^exponent, exactly. */
function decompose(x: number): { mantissa: bigint; exponent: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  const fraction = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  return biased === 0
    ? { mantissa: fraction, exponent: -1074 }
    : { mantissa: fraction | (1n << 52n), exponent: biased - 1075 };
}

/**
 * The `precision` leading decimal digits of a finite positive double and the
 * decimal exponent of the first, rounded as glibc's printf rounds: from the
 * exact binary value, ties to even.
 */
function significantDigits(x: number, precision: number): { digits: string; exponent: number } {
  const { mantissa, exponent: e2 } = decompose(x);
  const num = e2 >= 0 ? mantissa << BigInt(e2) : mantissa;
  const den = e2 >= 0 ? 1n : 1n << BigInt(-e2);
  const atLeastPow10 = (k: number) => k >= 0 ? num >= den * 10n ** BigInt(k) : num * 10n ** BigInt(-k) >= den;
  let exponent = Math.floor(Math.log10(x));
  while (!atLeastPow10(exponent)) exponent--;
  while (atLeastPow10(exponent + 1)) exponent++;
  const shift = exponent - precision + 1;
  const qn = shift >= 0 ? num : num * 10n ** BigInt(-shift);
  const qd = shift >= 0 ? den * 10n ** BigInt(shift) : den;
  let n = qn / qd;
  const twice = 2n * (qn % qd);
  if (twice > qd || (twice === qd && (n & 1n) === 1n)) n++;
  if (n === 10n ** BigInt(precision)) {
    n /= 10n;
    exponent++;
  }
  return { digits: n.toString(), exponent };
}

/** C's `%.<precision>g` (glibc): shortest of fixed and exponent forms, trailing zeros removed. */
function formatG(x: number, precision = 6): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x < 0 ? "-inf" : "inf";
  if (x === 0) return Object.is(x, -0) ? "-0" : "0";
  const sign = x < 0 ? "-" : "";
  const p = precision === 0 ? 1 : precision;
  const { digits, exponent } = significantDigits(Math.abs(x), p);
  const trim = (intPart: string, frac: string) => {
    const f = frac.replace(/0+$/, "");
    return f === "" ? intPart : `${intPart}.${f}`;
  };
  if (exponent < -4 || exponent >= p) {
    const e = `${exponent < 0 ? "-" : "+"}${String(Math.abs(exponent)).padStart(2, "0")}`;
    return `${sign}${trim(digits[0], digits.slice(1))}e${e}`;
  }
  if (exponent >= 0) return sign + trim(digits.slice(0, exponent + 1), digits.slice(exponent + 1));
  return sign + trim("0", "0".repeat(-exponent - 1) + digits);
}

/** C's conversion of a value to `unsigned long long` for the formatters (truncation, modulo 2^64). */
function toU64(value: bigint | number, field: string): bigint {
  if (typeof value === "bigint") return BigInt.asUintN(64, value);
  if (!Number.isFinite(value)) throw new ValidationError(field, value, "must be a finite number");
  return BigInt.asUintN(64, BigInt(Math.trunc(value)));
}

const RATE_PREFIXES = ["", "K", "M", "G", "T"];

/**
 * A rate in bytes per second as tc prints it (`tc_print_rate` → `print_rate`):
 * converted to bits, then divided by 1000 (or 1024 with `iec`, tc's `-iec`) while
 * it is at least that, up to `T`, but only while the division is exact or the
 * value is at least a million units, so 1514 kbit stays "1514Kbit" and 97.66 Mbit
 * becomes "97656Kbit" (not rounded). Matches iproute2 6.1 text output byte for
 * byte; numbers are truncated to u64 and the bit count wraps modulo 2^64, as C's.
 *
 * @example
 * ```ts
 * import { formatRate } from "./units.ts";
 * formatRate(125000n); // "1Mbit"
 * formatRate(100); // "800bit"
 * formatRate(1250000000n); // "10Gbit"
 * formatRate(125000n, true); // "1000000bit" (not a whole number of Kibit, and under 1000 Kibit)
 * formatRate(12500000n, true); // "97656Kibit"
 * ```
 */
export function formatRate(bytesPerSec: bigint | number, iec = false): string {
  let rate = BigInt.asUintN(64, toU64(bytesPerSec, "rate") << 3n);
  const kilo = iec ? 1024n : 1000n;
  let i = 0;
  for (; i < RATE_PREFIXES.length - 1; i++) {
    if (rate < kilo) break;
    if (rate % kilo !== 0n && rate < 1000n * kilo) break;
    rate /= kilo;
  }
  // tc prints (double)rate with "%.0f": above 2^53 that is the nearest double, printed exactly.
  return `${BigInt(Number(rate))}${RATE_PREFIXES[i]}${i > 0 && iec ? "i" : ""}bit`;
}

/** C's rint() in the default rounding mode: to nearest, ties to even. */
function rint(x: number): number {
  const f = Math.floor(x);
  const d = x - f; // exact for doubles
  if (d < 0.5) return f;
  if (d > 0.5) return f + 1;
  return f % 2 === 0 ? f : f + 1;
}

/**
 * A size in bytes as tc prints it (`sprint_size`): "NMb" when within 1 KiB of a
 * whole number of MiB, else "NKb" when within 16 bytes of a whole number of KiB,
 * else "Nb"; N is printed with `%g`, so very large KiB counts come out as e.g.
 * "1e+06Kb", exactly as tc does. The value is taken as C's `__u32` (truncated,
 * modulo 2^32).
 *
 * @example
 * ```ts
 * import { formatSize } from "./units.ts";
 * formatSize(1514); // "1514b"
 * formatSize(10240); // "10Kb"
 * formatSize(1048576); // "1Mb"
 * formatSize(1025); // "1Kb" (within 16 bytes)
 * ```
 */
export function formatSize(bytes: number): string {
  const sz = cU32(bytes);
  const kilo = 1024;
  const mega = kilo * kilo;
  if (sz >= mega && Math.abs(mega * rint(sz / mega) - sz) < 1024) return `${formatG(rint(sz / mega))}Mb`;
  if (sz >= kilo && Math.abs(kilo * rint(sz / kilo) - sz) < 16) return `${formatG(rint(sz / kilo))}Kb`;
  return `${sz}b`;
}

/**
 * A time in microseconds as tc prints it (`sprint_time`): seconds from 1 s and
 * milliseconds from 1 ms, each with three significant digits (`%.3g`, C's
 * rounding, so 1125 µs is "1.12ms" and 4294 s is "4.29e+03s"), else whole
 * microseconds. The value is taken as C's `__u32` (truncated, modulo 2^32).
 *
 * @example
 * ```ts
 * import { formatTime } from "./units.ts";
 * formatTime(50000); // "50ms"
 * formatTime(1000000); // "1s"
 * formatTime(50); // "50us"
 * formatTime(90700); // "90.7ms"
 * ```
 */
export function formatTime(us: number): string {
  const t = cU32(us);
  if (t >= TIME_UNITS_PER_SEC) return `${formatG(t / TIME_UNITS_PER_SEC, 3)}s`;
  if (t >= TIME_UNITS_PER_SEC / 1000) return `${formatG(t / (TIME_UNITS_PER_SEC / 1000), 3)}ms`;
  return `${t}us`;
}

/**
 * A time in nanoseconds as tc prints it (`sprint_time64`): `s`, `ms` or `us`
 * with three significant digits (`%.3g`) from one of each, else whole
 * nanoseconds (negative values included, printed as such). The value is taken
 * as C's `__s64`.
 *
 * @example
 * ```ts
 * import { formatTime64 } from "./units.ts";
 * formatTime64(1500000n); // "1.5ms"
 * formatTime64(999n); // "999ns"
 * formatTime64(4000000000n); // "4s"
 * ```
 */
export function formatTime64(ns: bigint): string {
  const t = BigInt.asIntN(64, ns);
  const nsec = Number(t); // (double) of an s64: nearest, ties to even, as C
  if (t >= BigInt(NSEC_PER_SEC)) return `${formatG(nsec / NSEC_PER_SEC, 3)}s`;
  if (t >= BigInt(NSEC_PER_MSEC)) return `${formatG(nsec / NSEC_PER_MSEC, 3)}ms`;
  if (t >= BigInt(NSEC_PER_USEC)) return `${formatG(nsec / NSEC_PER_USEC, 3)}us`;
  return `${t}ns`;
}

// ---------------------------------------------------------------------------
// psched ticks

/**
 * Microseconds to psched ticks (`tc_core_time2tick`): × 15.625, truncated to an
 * unsigned 32-bit value as C does (so results of 2^32 and more wrap).
 *
 * @example
 * ```ts
 * import { timeToTicks } from "./units.ts";
 * timeToTicks(1000); // 15625
 * timeToTicks(3); // 46 (46.875 truncated)
 * ```
 */
export function timeToTicks(us: number): number {
  return cU32(cU32(us) * TICK_IN_USEC);
}

/**
 * psched ticks to microseconds (`tc_core_tick2time`): ÷ 15.625, truncated.
 *
 * @example
 * ```ts
 * import { ticksToTime } from "./units.ts";
 * ticksToTime(15625); // 1000
 * ticksToTime(1280000); // 81920
 * ```
 */
export function ticksToTime(ticks: number): number {
  return cU32(cU32(ticks) / TICK_IN_USEC);
}

/**
 * The ticks it takes to send `size` bytes at `rate` bytes per second
 * (`tc_calc_xmittime`): the time in microseconds, truncated to u32, then
 * converted to ticks. tbf's `buffer` and `mtu` and each rate-table slot are this.
 *
 * @example
 * ```ts
 * import { xmitTime } from "./units.ts";
 * xmitTime(125000n, 10240); // 1280000 (81.92 ms at 1 Mbit/s)
 * ```
 */
export function xmitTime(rate: bigint | number, size: number): number {
  return timeToTicks(cU32(TIME_UNITS_PER_SEC * (cU32(size) / u64ToDouble(rate))));
}

/**
 * The bytes sent in `ticks` at `rate` bytes per second (`tc_calc_xmitsize`),
 * truncated: what tc prints back as a qdisc's burst.
 *
 * @example
 * ```ts
 * import { xmitSize } from "./units.ts";
 * xmitSize(125000n, 1280000); // 10240
 * ```
 */
export function xmitSize(rate: bigint | number, ticks: number): number {
  return cU32((u64ToDouble(rate) * ticksToTime(ticks)) / TIME_UNITS_PER_SEC);
}

/**
 * The largest rate a `struct tc_ratespec` holds: tc stores `~0U` (0xffffffff)
 * there when the rate needs 64 bits and sends the full rate in a separate
 * `*_RATE64` attribute. tbf and htb compute their rate tables and buffers from
 * this clamped value; police uses the full one.
 *
 * @example
 * ```ts
 * import { rate32 } from "./units.ts";
 * rate32(125000n); // 125000
 * rate32(1250000000n); // 1250000000
 * rate32(5000000000n); // 4294967295
 * ```
 */
export function rate32(rate: bigint | number): number {
  const r = toU64(rate, "rate");
  return r >= 1n << 32n ? 0xffffffff : Number(r);
}

// ---------------------------------------------------------------------------
// Rate and size tables

/** How packet sizes are adjusted to the link: none (Ethernet) or padded to 53-byte ATM cells carrying 48 bytes each. */
export type LinkLayer = "ethernet" | "atm";

/** tc's `enum link_layer` / the kernel's TC_LINKLAYER_*: 0 unspecified, 1 Ethernet, 2 ATM. */
const LINKLAYER_NUMBER: Readonly<Record<LinkLayer, number>> = { ethernet: 1, atm: 2 };
const LINKLAYER_MASK = 0x0f; // TC_LINKLAYER_MASK: the ratespec's linklayer byte keeps 4 bits
const ATM_CELL_PAYLOAD = 48;
const ATM_CELL_SIZE = 53;

function linklayerNumber(ll: LinkLayer | undefined, fallback: number): number {
  if (ll === undefined) return fallback;
  const n = LINKLAYER_NUMBER[ll];
  if (n === undefined) throw new ValidationError("linklayer", ll, 'must be "ethernet" or "atm"');
  return n;
}

/**
 * A packet size as the tables see it (`tc_adjust_size`): at least `mpu`, and on
 * ATM the whole 53-byte cells its 48-byte payloads need (C's int arithmetic wraps).
 */
function adjustSize(sz: number, mpu: number, linklayer: number): number {
  if (sz < mpu) sz = mpu;
  if (linklayer !== LINKLAYER_NUMBER.atm) return sz;
  const cells = Math.floor(sz / ATM_CELL_PAYLOAD) + (sz % ATM_CELL_PAYLOAD > 0 ? 1 : 0);
  return (cells * ATM_CELL_SIZE) >>> 0;
}

function checkU32(value: number | undefined, field: string, fallback = 0): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 0 || value >= U32_LIMIT) {
    throw new ValidationError(field, value, "must be an integer from 0 to 4294967295");
  }
  return value;
}

/** Options for {@linkcode calcRateTable}: the rate and the `struct tc_ratespec` fields the table depends on. */
export interface RateTableSpec {
  /** Bytes per second. tbf and htb pass {@linkcode rate32} of their rate; police passes the full 64-bit rate. */
  rate: bigint | number;
  /** Minimum packet unit in bytes (the ratespec's `mpu`, an unsigned short: taken modulo 65536, as C stores it). */
  mpu?: number;
  /** Default `"ethernet"`, as tbf, htb and police assume. */
  linklayer?: LinkLayer;
}

/** What {@linkcode calcRateTable} computes: the table and the ratespec fields tc sets with it. */
export interface RateTable {
  /** 256 little-endian u32 tick counts (1024 bytes, TC_RTAB_SIZE); slot i is for packets of (i+1) << cellLog bytes. */
  table: Uint8Array;
  /** The ratespec's `cell_log`. */
  cellLog: number;
  /** The ratespec's `cell_align`: always -1 (0xffff on the wire). */
  cellAlign: number;
  /** The ratespec's `linklayer` byte: 1 Ethernet, 2 ATM. */
  linklayer: number;
}

/**
 * A rate table (`tc_calc_rtable` / `tc_calc_rtable_64`): for each of 256 size
 * cells, the ticks to send a packet that fills it at `spec.rate`, after the mpu
 * and ATM adjustments. Modern kernels compute times themselves and use the table
 * only to detect the link layer, but tbf, htb and police still require it, and
 * iproute2 sends it, so requests carry it byte for byte.
 *
 * @param cellLog log2 of the cell size; -1 picks the smallest that covers `mtu` in 256 cells.
 * @param mtu largest packet the table must cover; 0 means 2047, as in tc.
 * @example
 * ```ts
 * import { calcRateTable } from "./units.ts";
 * const r = calcRateTable({ rate: 125000n }, -1, 0);
 * r.cellLog; // 3 (2047 bytes in 256 cells of 8)
 * new DataView(r.table.buffer).getUint32(0, true); // 1000 (8 bytes at 1 Mbit/s: 64 µs)
 * ```
 */
export function calcRateTable(spec: RateTableSpec, cellLog = -1, mtu = 0): RateTable {
  const mpu = checkU32(spec.mpu, "mpu") & 0xffff;
  const linklayer = linklayerNumber(spec.linklayer, LINKLAYER_NUMBER.ethernet);
  const rate = toU64(spec.rate, "rate");
  if (!Number.isInteger(cellLog) || cellLog > 31) {
    throw new ValidationError("cellLog", cellLog, "must be -1 or 0 to 31");
  }
  let size = checkU32(mtu, "mtu");
  if (size === 0) size = 2047;
  if (cellLog < 0) {
    cellLog = 0;
    while (size >>> cellLog > 255) cellLog++;
  }
  const rateDouble = u64ToDouble(rate);
  const table = new Uint8Array(1024);
  const view = new DataView(table.buffer);
  for (let i = 0; i < 256; i++) {
    // (i + 1) << cell_log is a C int shift: it wraps at 32 bits for large explicit cell logs.
    const sz = adjustSize(((i + 1) << cellLog) >>> 0, mpu, linklayer);
    // tc_calc_xmittime, with the vectorized loop's conversions (see vecU32): overflowing slots become 0.
    const us = vecU32(TIME_UNITS_PER_SEC * (sz / rateDouble));
    view.setUint32(i * 4, vecU32(us * TICK_IN_USEC), true);
  }
  return { table, cellLog, cellAlign: -1, linklayer: linklayer & LINKLAYER_MASK };
}

/** Options for {@linkcode calcSizeTable}: `tc qdisc … stab` (struct tc_sizespec). */
export interface SizeTableSpec {
  /** Largest packet size the table covers; default 2047. */
  mtu?: number;
  /** Number of table slots; default 512. */
  tsize?: number;
  /** Minimum packet unit in bytes. */
  mpu?: number;
  /** Bytes added to every packet (may be negative); the kernel applies it, the table does not. */
  overhead?: number;
  /** Unset is "unspecified" (0), as `stab` without `linklayer`. */
  linklayer?: LinkLayer;
  /** Ignored: tc always recomputes it from `mtu` and `tsize`. Accepted for symmetry with `struct tc_sizespec`. */
  cellLog?: number;
  /** Starting size_log (tc starts from 0); raised until every slot fits 16 bits. */
  sizeLog?: number;
}

/** `struct tc_sizespec` (TCA_STAB_BASE) as {@linkcode calcSizeTable} fills it. */
export interface SizeSpec {
  /** log2 of the bytes each slot covers. */
  cellLog: number;
  /** log2 of the unit the slots' sizes are in. */
  sizeLog: number;
  /** -1 when a table was computed, else 0. */
  cellAlign: number;
  /** Bytes added per packet. */
  overhead: number;
  /** 0 unspecified, 1 Ethernet, 2 ATM. */
  linklayer: number;
  /** Minimum packet unit. */
  mpu: number;
  /** Largest size covered (0 when there is no table). */
  mtu: number;
  /** Number of slots (0 when there is no table). */
  tsize: number;
}

/**
 * The most slots that fit: TCA_STAB_DATA sits in the TCA_STAB nest, whose
 * 16-bit netlink length must also hold the nest header (4), TCA_STAB_BASE
 * (4 + 24) and its own header (4): (65535 - 36) / 2.
 */
const TSIZE_MAX = 32749;

/**
 * A size table (`tc_calc_size_table`, sent as TCA_STAB): slot i holds the
 * adjusted size (mpu, ATM cells) of a packet of (i+1) << cellLog bytes, shifted
 * right by sizeLog so it fits 16 bits. When the link layer is Ethernet or
 * unspecified and there is no mpu, no table is needed (only the overhead is
 * sent): mtu, tsize, cellLog and cellAlign are then 0 and `data` is empty, and
 * TCA_STAB_DATA is left out.
 *
 * @example
 * ```ts
 * import { calcSizeTable } from "./units.ts";
 * const { base, data } = calcSizeTable({ overhead: 20, linklayer: "atm", mtu: 2048, tsize: 512 });
 * base.cellLog; // 3
 * data[0]; // 53 (8 bytes fill one ATM cell)
 * calcSizeTable({ overhead: -4 }).data.length; // 0
 * ```
 */
export function calcSizeTable(spec: SizeTableSpec): { base: SizeSpec; data: Uint16Array } {
  const overhead = spec.overhead ?? 0;
  if (!Number.isInteger(overhead) || overhead < -(2 ** 31) || overhead >= 2 ** 31) {
    throw new ValidationError("overhead", spec.overhead, "must be a 32-bit signed integer");
  }
  const linklayer = linklayerNumber(spec.linklayer, 0);
  const mpu = checkU32(spec.mpu, "mpu");
  let mtu = checkU32(spec.mtu, "mtu");
  let tsize = checkU32(spec.tsize, "tsize");
  let sizeLog = spec.sizeLog ?? 0;
  if (!Number.isInteger(sizeLog) || sizeLog < 0 || sizeLog > 255) {
    throw new ValidationError("sizeLog", spec.sizeLog, "must be an integer from 0 to 255");
  }
  if (linklayer <= LINKLAYER_NUMBER.ethernet && mpu === 0) {
    return {
      base: { cellLog: 0, sizeLog, cellAlign: 0, overhead, linklayer, mpu, mtu: 0, tsize: 0 },
      data: new Uint16Array(0),
    };
  }
  if (mtu === 0) mtu = 2047;
  if (tsize === 0) tsize = 512;
  if (tsize > TSIZE_MAX) throw new ValidationError("tsize", tsize, `must be at most ${TSIZE_MAX} to fit in TCA_STAB`);
  let cellLog = 0;
  // Division rather than >>> so that a 1-slot table of a huge mtu ends at 32 instead of looping (C would hang).
  while (Math.floor(mtu / 2 ** cellLog) > tsize - 1) cellLog++;
  const data = new Uint16Array(tsize);
  for (let i = tsize - 1; i >= 0; i--) {
    const sz = adjustSize(((i + 1) << cellLog) >>> 0, mpu, linklayer);
    if (sz / 2 ** sizeLog >= 65536) {
      // Too big for a u16 in this unit: tc doubles the unit and starts over from the top.
      sizeLog++;
      i = tsize;
      continue;
    }
    data[i] = Math.floor(sz / 2 ** sizeLog);
  }
  return { base: { cellLog, sizeLog, cellAlign: -1, overhead, linklayer, mpu, mtu, tsize }, data };
}
