/**
 * fnmatch(3) patterns (`*`, `?`, `[…]`, `[!…]`, backslash escapes), as
 * iproute2 matches address labels (`ip address show label`) and Unix socket
 * names (`ss src PATTERN`).
 *
 * @module
 */

const cache = new Map<string, RegExp>();

/**
 * The pattern as an anchored regular expression (cached); `caseFold` is
 * FNM_CASEFOLD. `*` and `?` match `/` too, as fnmatch without FNM_PATHNAME.
 *
 * @example
 * ```ts
 * import { globRegex } from "./glob.ts";
 * globRegex("eth*").test("eth0:1"); // true
 * globRegex("[!a]x", true).test("BX"); // true
 * ```
 */
export function globRegex(pattern: string, caseFold = false): RegExp {
  const key = (caseFold ? "i" : "s") + pattern;
  let re = cache.get(key);
  if (re === undefined) cache.set(key, re = compile(pattern, caseFold));
  return re;
}

function compile(pattern: string, caseFold: boolean): RegExp {
  let re = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "*") re += ".*";
    else if (c === "?") re += ".";
    else if (c === "[") {
      const end = pattern.indexOf("]", i + 2);
      if (end < 0) re += "\\[";
      else {
        let set = pattern.slice(i + 1, end);
        if (set.startsWith("!")) set = "^" + set.slice(1);
        re += "[" + set.replace(/\\/g, "\\\\") + "]";
        i = end;
      }
    } else if (c === "\\" && i + 1 < pattern.length) re += "\\" + pattern[++i];
    else re += c.replace(/[.+^${}()|\\\]/]/g, "\\$&");
  }
  return new RegExp("^" + re + "$", caseFold ? "is" : "s");
}
