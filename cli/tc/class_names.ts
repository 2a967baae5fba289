/**
 * Class names for `tc -nm` (`-names`) and `-cf FILE`: the names file
 * (/etc/iproute2/tc_cls unless `-cf` names another) maps class ids to
 * names, and every class id tc prints becomes `NAME#MAJ:MIN`. The file is
 * read the way iproute2's names database reads it: one `MAJ:MIN NAME`,
 * `0xID NAME` or `ID NAME` per line, `#` comments, the last of duplicate ids
 * winning; ids whose 32-bit value is negative as a C int (major 8000 and up)
 * are dropped, as iproute2 drops them.
 *
 * @module
 */
import { UsageError } from "../common/args.ts";

/** Where tc looks for class names when `-cf` names no file. */
export const DEFAULT_CLASS_NAMES = "/etc/iproute2/tc_cls";

/** What a names file held: the names by 32-bit class id, or the line that could not be read. */
export interface ClassNamesFile {
  /** Names by class id (unsigned). */
  names: Map<number, string>;
  /** The first unreadable line (from its first non-blank character, newline included), when there was one. */
  corrupt?: string;
}

const SPACE = " \t\n\v\f\r";

/** A tiny reader of one line with the conversions C's sscanf applies for `%x`, `%d` and `%s`. */
class Scan {
  at = 0;
  constructor(readonly text: string) {}

  private skipSpace(): void {
    while (this.at < this.text.length && SPACE.includes(this.text[this.at])) this.at++;
  }

  /** `%x` (hex) or `%d` (decimal): optional sign, at least one digit; the value wraps to a C int. */
  int(radix: 16 | 10): number | undefined {
    this.skipSpace();
    let i = this.at;
    let sign = 1;
    if (this.text[i] === "+" || this.text[i] === "-") sign = this.text[i++] === "-" ? -1 : 1;
    const digit = radix === 16 ? /[0-9a-fA-F]/ : /[0-9]/;
    if (
      radix === 16 && this.text[i] === "0" && /[xX]/.test(this.text[i + 1] ?? "") && digit.test(this.text[i + 2] ?? "")
    ) {
      i += 2;
    }
    const start = i;
    while (i < this.text.length && digit.test(this.text[i])) i++;
    if (i === start) return undefined;
    this.at = i;
    let v = 0;
    for (let k = start; k < i; k++) v = (v * radix + parseInt(this.text[k], radix)) % 0x100000000;
    return (sign * v) | 0;
  }

  /** `%s`: a run of non-blank characters. */
  word(): string | undefined {
    this.skipSpace();
    const start = this.at;
    while (this.at < this.text.length && !SPACE.includes(this.text[this.at])) this.at++;
    return this.at === start ? undefined : this.text.slice(start, this.at);
  }

  /** A literal character of the format. */
  literal(ch: string): boolean {
    if (this.text[this.at] !== ch) return false;
    this.at++;
    return true;
  }
}

/** One entry line → [id as a C int, name], or undefined when no form fits. */
function entry(line: string): [number, string] | undefined {
  let s = new Scan(line);
  const maj = s.int(16);
  if (maj !== undefined && s.literal(":")) {
    const min = s.int(16);
    const name = min === undefined ? undefined : s.word();
    if (name !== undefined) return [(maj << 16) | min!, name];
  }
  s = new Scan(line);
  if (s.literal("0") && s.literal("x")) {
    const id = s.int(16);
    const name = id === undefined ? undefined : s.word();
    if (name !== undefined) return [id!, name];
  }
  s = new Scan(line);
  const id = s.int(10);
  const name = id === undefined ? undefined : s.word();
  return name === undefined ? undefined : [id!, name];
}

/**
 * Reads a names file's text.
 *
 * @example
 * ```ts
 * import { parseClassNames } from "./class_names.ts";
 * const { names } = parseClassNames("# classes\n1:10 web\n0x10020 mail\n");
 * names.get(0x10010); // "web"
 * names.get(0x10020); // "mail"
 * ```
 */
export function parseClassNames(text: string): ClassNamesFile {
  const names = new Map<number, string>();
  const lines = text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  for (const raw of lines) {
    const line = raw.replace(/^[ \t]+/, "");
    if (line === "" || line[0] === "#" || line[0] === "\n") continue;
    const e = entry(line);
    if (e === undefined) return { names: new Map(), corrupt: line };
    if (e[0] >= 0) names.set(e[0], e[1]);
  }
  return { names };
}

let active: ReadonlyMap<number, string> | undefined;

/**
 * Loads the names file for `-nm` (`path`: `-cf`'s file, else the default)
 * and makes {@linkcode className} answer from it, as tc's cls_names_init:
 * a missing `-cf` file is an error (exit 255), a missing default file or a
 * corrupted one (reported on stderr) leaves ids unnamed.
 *
 * @example
 * ```ts ignore
 * await useClassNames("/tmp/tc_cls");
 * ```
 */
export async function useClassNames(path: string | undefined): Promise<void> {
  const file = path ?? DEFAULT_CLASS_NAMES;
  let text: string;
  try {
    text = await Deno.readTextFile(file);
  } catch (e) {
    if (e instanceof Deno.errors.IsADirectory) text = "";
    else if (path !== undefined) throw new UsageError(`Can't open class names file: ${path}`, 255);
    else return;
  }
  const { names, corrupt } = parseClassNames(text);
  if (corrupt !== undefined) {
    console.error(`Database ${file} is corrupted at ${corrupt}`);
    return;
  }
  active = names;
}

/**
 * The name of a class id, when `-nm` loaded one for it.
 *
 * @example
 * ```ts
 * import { className } from "./class_names.ts";
 * className(0x10010); // undefined unless a names file was loaded
 * ```
 */
export function className(h: number): string | undefined {
  return active?.get(h >>> 0);
}
