/**
 * Enumerations and flag sets of C constants, as names both ways: the schema
 * engine decodes numbers to names (`3` → `"boot"`) and encodes names (or plain
 * numbers) back.
 *
 * @module
 */
import { cTable } from "./ctable.ts";
import { ValidationError } from "./errors.ts";

/** How C names become value names: `"lower"` (RTN_UNICAST → "unicast"), `"upper"` (kept), or a function. */
export type NameStyle = "lower" | "upper" | ((cKey: string) => string);

/**
 * An enumeration: number ⇄ name. Unknown numbers decode as plain numbers.
 *
 * @example
 * ```ts
 * import { cEnum } from "./enums.ts";
 * const SCOPE = cEnum("linux/rtnetlink.h", "RT_SCOPE_", { UNIVERSE: 0, LINK: 253, HOST: 254 });
 * SCOPE.name(253);   // "link"
 * SCOPE.value("host"); // 254
 * ```
 */
export class EnumTable<N extends string = string> {
  /** The C values by C key (registered for the audit). */
  readonly values: Readonly<Record<string, number>>;
  readonly #byValue: (N | undefined)[] = [];
  readonly #byValueMap = new Map<number, N>();
  readonly #byName = new Map<string, number>();
  /** A short label for error messages. */
  readonly label: string;

  /** Builds a table; prefer {@linkcode cEnum}. */
  constructor(label: string, values: Record<string, number>, style: NameStyle, aliases: Record<string, number> = {}) {
    this.label = label;
    this.values = values;
    for (const [key, v] of Object.entries(values)) {
      const name = styleName(key, style) as N;
      if (v >= 0 && v < 1024) {
        if (this.#byValue[v] === undefined) this.#byValue[v] = name;
      } else if (!this.#byValueMap.has(v)) this.#byValueMap.set(v, name);
      if (!this.#byName.has(name)) this.#byName.set(name, v);
    }
    for (const [name, v] of Object.entries(aliases)) this.#byName.set(name, v);
  }

  /** The name of `value`, or the number itself when it has none. */
  name(value: number): N | number {
    const n = value >= 0 && value < 1024 ? this.#byValue[value] : this.#byValueMap.get(value);
    return n === undefined ? value : n;
  }

  /** The number for a name (or a number passed through). Throws {@linkcode ValidationError} naming `field`. */
  value(x: string | number, field = this.label): number {
    if (typeof x === "number") {
      if (Number.isInteger(x)) return x;
      throw new ValidationError(field, x, "expected an integer or one of " + this.#list());
    }
    const v = this.#byName.get(x);
    if (v !== undefined) return v;
    if (/^(0x[0-9a-f]+|\d+)$/i.test(x)) return Number(x);
    throw new ValidationError(field, x, "expected one of " + this.#list());
  }

  /** Whether `name` is a known name. */
  has(name: string): boolean {
    return this.#byName.has(name);
  }

  /** All names. */
  get names(): string[] {
    return [...this.#byName.keys()];
  }

  #list(): string {
    const names = this.names;
    return names.length > 24 ? names.slice(0, 24).join(", ") + ", …" : names.join(", ");
  }
}

/**
 * A flag set: a bitmask ⇄ a list of names. Bits without a name decode as hex
 * strings (`"0x10000"`), so nothing is lost.
 *
 * @example
 * ```ts
 * import { cFlags } from "./enums.ts";
 * const F = cFlags("net/if.h", "IFF_", { UP: 1, BROADCAST: 2 }, "upper");
 * F.decode(3);           // ["UP", "BROADCAST"]
 * F.encode(["UP"]);      // 1
 * ```
 */
export class FlagTable<N extends string = string> {
  /** The C values by C key (registered for the audit). */
  readonly values: Readonly<Record<string, number>>;
  readonly #bits: [number, N][] = [];
  readonly #byName = new Map<string, number>();
  /** A short label for error messages. */
  readonly label: string;

  /** Builds a table; prefer {@linkcode cFlags}. */
  constructor(label: string, values: Record<string, number>, style: NameStyle) {
    this.label = label;
    this.values = values;
    for (const [key, v] of Object.entries(values)) {
      const name = styleName(key, style) as N;
      if (v !== 0 && !this.#bits.some(([b]) => b === v)) this.#bits.push([v, name]);
      if (!this.#byName.has(name)) this.#byName.set(name, v);
    }
  }

  /**
   * The names of the bits set in `mask`, in table order; unnamed bits as hex.
   * An empty mask gives one shared, frozen empty list (copy it to modify).
   */
  decode(mask: number): (N | string)[] {
    // No flags is the common case (every route of a dump): one shared, frozen empty list.
    if (mask === 0) return EMPTY as unknown as (N | string)[];
    const out: (N | string)[] = [];
    let rest = mask >>> 0;
    for (const [bit, name] of this.#bits) {
      if ((rest & bit) === bit && bit !== 0) {
        out.push(name);
        rest = (rest & ~bit) >>> 0;
      }
    }
    for (let bit = 1; rest !== 0 && bit !== 0; bit = (bit << 1) >>> 0) {
      if (rest & bit) {
        out.push("0x" + bit.toString(16));
        rest = (rest & ~bit) >>> 0;
      }
    }
    return out;
  }

  /** A mask from names, hex strings or a plain number. Throws {@linkcode ValidationError} naming `field`. */
  encode(x: readonly string[] | number, field = this.label): number {
    if (typeof x === "number") {
      if (Number.isInteger(x) && x >= 0 && x <= 0xffffffff) return x;
      throw new ValidationError(field, x, "expected a u32 mask or a list of " + this.names.join(", "));
    }
    if (!Array.isArray(x)) throw new ValidationError(field, x, "expected a list of " + this.names.join(", "));
    let mask = 0;
    for (const name of x) {
      const v = this.#byName.get(name);
      if (v !== undefined) mask |= v;
      else if (/^0x[0-9a-f]+$/i.test(name)) mask |= parseInt(name, 16);
      else throw new ValidationError(field, name, "expected one of " + this.names.join(", "));
    }
    return mask >>> 0;
  }

  /** The value of one flag name. */
  bit(name: N): number {
    return this.#byName.get(name) ?? 0;
  }

  /** All names. */
  get names(): string[] {
    return [...this.#byName.keys()];
  }
}

function styleName(key: string, style: NameStyle): string {
  if (typeof style === "function") return style(key);
  return style === "lower" ? key.toLowerCase() : key;
}

/**
 * Declares an enumeration of C constants (registered for the audit).
 *
 * @example
 * ```ts
 * import { cEnum } from "./enums.ts";
 * const RTN = cEnum("linux/rtnetlink.h", "RTN_", { UNSPEC: 0, UNICAST: 1 });
 * RTN.name(1); // "unicast"
 * ```
 */
export function cEnum<const T extends Record<string, number>>(
  header: string,
  prefix: string,
  values: T,
  style: NameStyle = "lower",
  aliases: Record<string, number> = {},
): EnumTable<string> {
  return new EnumTable(prefix, cTable(header, prefix, values), style, aliases);
}

/**
 * Declares a flag set of C constants (registered for the audit).
 *
 * @example
 * ```ts
 * import { cFlags } from "./enums.ts";
 * const F = cFlags("linux/rtnetlink.h", "RTNH_F_", { DEAD: 1, PERVASIVE: 2, ONLINK: 4 });
 * F.decode(5); // ["dead", "onlink"]
 * ```
 */
export function cFlags<const T extends Record<string, number>>(
  header: string,
  prefix: string,
  values: T,
  style: NameStyle = "lower",
): FlagTable<string> {
  return new FlagTable(prefix, cTable(header, prefix, values), style);
}

const EMPTY: readonly never[] = Object.freeze([]);
