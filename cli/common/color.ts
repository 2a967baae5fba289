/**
 * iproute2's colour output (`-c`, `-color[=always|auto|never]`): interface
 * names, link-layer addresses, IPv4 and IPv6 addresses and operational
 * states in the terminal's colours, as lib/color.c prints them. Never in
 * JSON. A tool runs one command per process, so whether colour is on is
 * process state, set once from the global options.
 *
 * @module
 */
import { matches } from "./args.ts";
import { AF_BRIDGE, AF_INET, AF_INET6 } from "./inet.ts";

/** What a coloured value is (iproute2's enum color_attr); `None` prints plain. */
export const Color = { Ifname: 0, Mac: 1, Inet: 2, Inet6: 3, OperUp: 4, OperDown: 5, None: 6 } as const;
/** One of {@linkcode Color}'s values. */
export type Color = typeof Color[keyof typeof Color];

/** The escape codes by attribute on a light background: cyan, yellow, magenta, blue, green, red. */
const LIGHT = ["\x1b[36m", "\x1b[33m", "\x1b[35m", "\x1b[34m", "\x1b[32m", "\x1b[31m"];
/** The same colours, bold, on a dark background. */
const DARK = ["\x1b[1;36m", "\x1b[1;33m", "\x1b[1;35m", "\x1b[1;34m", "\x1b[1;32m", "\x1b[1;31m"];
const CLEAR = "\x1b[0m";

/** The codes in use; undefined while colour is off. */
let palette: readonly string[] | undefined;

/**
 * The mode a global option asks for (iproute2's matches_color): `-color`
 * and its abbreviations (`-c`), alone or `=always`, `=auto`, `=never`;
 * undefined when the word is not a colour option.
 *
 * @example
 * ```ts
 * import { colorOption } from "./color.ts";
 * colorOption("-c"); // "always"
 * colorOption("-color=auto"); // "auto"
 * colorOption("-color=sometimes"); // undefined
 * ```
 */
export function colorOption(word: string): "always" | "auto" | "never" | undefined {
  const eq = word.indexOf("=");
  const name = eq < 0 ? word : word.slice(0, eq);
  if (!matches(name, "-color")) return undefined;
  const value = eq < 0 ? "" : word.slice(eq + 1);
  if (value === "" || value === "always") return "always";
  return value === "auto" || value === "never" ? value : undefined;
}

/**
 * Turns colour on as iproute2's check_enable_color does: never with JSON or
 * `never`, always with `always`, on a terminal with `auto`. The palette is
 * the bold one when COLORFGBG's last field says the background is dark
 * (0-6 or 8). Returns whether colour is on.
 *
 * @example
 * ```ts ignore
 * enableColor("always", false, Deno.env.get("COLORFGBG"), Deno.stdout.isTerminal());
 * ```
 */
export function enableColor(
  mode: "always" | "auto" | "never" | undefined,
  json: boolean,
  colorfgbg: string | undefined,
  terminal: boolean,
): boolean {
  palette = undefined;
  if (json || mode === undefined || mode === "never" || (mode === "auto" && !terminal)) return false;
  const last = colorfgbg === undefined || !colorfgbg.includes(";")
    ? ""
    : colorfgbg.slice(colorfgbg.lastIndexOf(";") + 1);
  palette = /^[0-68]$/.test(last) ? DARK : LIGHT;
  return true;
}

/**
 * {@linkcode enableColor} for this process: COLORFGBG from the environment
 * (read only when a colour option was given; unreadable without
 * `--allow-env`, then the light palette), stdout's terminal state.
 *
 * @example
 * ```ts ignore
 * startColor(ctx.color, ctx.json);
 * ```
 */
export function startColor(mode: "always" | "auto" | "never" | undefined, json: boolean): boolean {
  if (mode === undefined || mode === "never" || json) return enableColor(undefined, json, undefined, false);
  let colorfgbg: string | undefined;
  try {
    colorfgbg = Deno.env.get("COLORFGBG");
  } catch {
    colorfgbg = undefined;
  }
  return enableColor(mode, json, colorfgbg, mode === "auto" && Deno.stdout.isTerminal());
}

/** Whether colour is on. */
export function colorOn(): boolean {
  return palette !== undefined;
}

/**
 * `text` in `color` (iproute2's color_fprintf: the code, the text, the
 * reset), or as it is while colour is off or for {@linkcode Color.None}.
 *
 * @example
 * ```ts
 * import { Color, colored } from "./color.ts";
 * colored(Color.Ifname, "p0 "); // "p0 " while colour is off
 * ```
 */
export function colored(color: Color, text: string): string {
  return palette === undefined || color === Color.None ? text : palette[color] + text + CLEAR;
}

/**
 * The colour of an address of `family` (ifa_family_color): IPv4 and IPv6
 * addresses have one, others none.
 *
 * @example
 * ```ts
 * import { Color, familyColor } from "./color.ts";
 * familyColor(10) === Color.Inet6; // true
 * ```
 */
export function familyColor(family: number | string): Color {
  if (family === AF_INET || family === "inet") return Color.Inet;
  if (family === AF_INET6 || family === "inet6") return Color.Inet6;
  return Color.None;
}

/**
 * The colour of an address of an object of `family`: the family's, except
 * that a bridge's entries carry IPv4 or IPv6 addresses (told apart by the
 * address, as iproute2 tells them by their length).
 *
 * @example
 * ```ts
 * import { addressColor, Color } from "./color.ts";
 * addressColor("bridge", "2001:db8::1") === Color.Inet6; // true
 * ```
 */
export function addressColor(family: number | string, address: string): Color {
  if (family === AF_BRIDGE || family === "bridge") return address.includes(":") ? Color.Inet6 : Color.Inet;
  return familyColor(family);
}

/**
 * The colour of an operational state (oper_state_color): UP green, DOWN red.
 *
 * @example
 * ```ts
 * import { Color, operColor } from "./color.ts";
 * operColor("UP") === Color.OperUp; // true
 * ```
 */
export function operColor(state: string): Color {
  return state === "UP" ? Color.OperUp : state === "DOWN" ? Color.OperDown : Color.None;
}
