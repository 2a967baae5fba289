/**
 * ss(8)'s column output: every socket is written field by field into a
 * buffer, and the buffer is printed with each column as wide as its widest
 * field (on a terminal, the spare width of the screen is spread over the
 * columns, which wrap onto more lines when they do not fit). Like ss, the
 * buffer is printed and started afresh once it holds five 1 MiB chunks, so
 * a huge listing is aligned in blocks exactly where ss aligns it.
 *
 * @module
 */

/** The columns, in order (iproute2's COL_*). */
export const Col = {
  Netid: 0,
  State: 1,
  RecvQ: 2,
  SendQ: 3,
  Addr: 4,
  Serv: 5,
  RAddr: 6,
  RServ: 7,
  Ext: 8,
  Proc: 9,
} as const;

const LAST = Col.Proc;

interface Column {
  /** 0 left, 2 right. */
  align: 0 | 2;
  header: string;
  /** Printed before the field when it does not start a line. */
  delim: string;
  disabled: boolean;
  width: number;
  maxLen: number;
}

const column = (align: 0 | 2, header: string, delim: string): Column => ({
  align,
  header,
  delim,
  disabled: false,
  width: 0,
  maxLen: 0,
});

/** ss keeps its output in chunks of this many bytes (minus the chunk header) … */
const CHUNK_DATA = 1024 * 1024 - 16;
/** … and prints them once it holds this many. */
const CHUNKS_MAX = 5;

/**
 * The output buffer and its columns. `out()` appends to the current field,
 * `next()` / `set()` move between fields, `render()` prints what is buffered.
 *
 * @example
 * ```ts ignore
 * const r = new Renderer();
 * r.header();
 * r.set(Col.Netid); r.out("tcp"); …
 * r.render();
 * ```
 */
export class Renderer {
  /** The columns (disable Netid/State before printing anything). */
  readonly columns: Column[] = [
    column(0, "Netid", ""),
    column(0, "State", " "),
    column(0, "Recv-Q", " "),
    column(0, "Send-Q", " "),
    column(2, "Local Address:", " "),
    column(0, "Port", ""),
    column(2, "Peer Address:", " "),
    column(0, "Port", ""),
    column(0, "Process", ""),
    column(0, "", ""),
  ];
  #tokens: string[] = [];
  #cols: number[] = [];
  #cur = "";
  #field = 0;
  /** Chunks in use (0: nothing buffered yet). */
  #chunks = 0;
  /** Where the current token starts in its chunk. */
  #tokenStart = 0;
  #write: (text: string) => void;
  #screenWidth: () => number;

  /**
   * A renderer writing through `write`; `screenWidth` is the terminal's width,
   * or -1 when the output is not a terminal (then columns are only as wide as
   * their contents).
   */
  constructor(write: (text: string) => void, screenWidth: () => number) {
    this.#write = write;
    this.#screenWidth = screenWidth;
  }

  /** Appends text to the current field (nothing when its column is disabled). */
  out(text: string): void {
    if (this.columns[this.#field].disabled) return;
    if (this.#chunks === 0) {
      this.#chunks = 1;
      this.#tokenStart = 0;
    }
    this.#cur += text;
    // A token that no longer fits moves to a fresh chunk (unless it starts one).
    if (this.#tokenStart !== 0 && this.#tokenStart + 2 + this.#cur.length >= CHUNK_DATA) {
      this.#chunks++;
      this.#tokenStart = 0;
    }
  }

  /** Ends the current field and moves to the next (printing the buffer when it is full, at a line's end). */
  next(): void {
    if (this.#field === LAST && this.#chunks >= CHUNKS_MAX) {
      this.render();
      return;
    }
    this.#flush();
    this.#field = this.#field === LAST ? 0 : this.#field + 1;
  }

  /** Moves field by field to column `id`. */
  set(id: number): void {
    while (this.#field !== id) this.next();
  }

  /** Buffers the header line (every enabled column's title). */
  header(): void {
    while (this.#field !== LAST) {
      const c = this.columns[this.#field];
      if (!c.disabled) this.out(c.header);
      this.next();
    }
  }

  #flush(): void {
    const c = this.columns[this.#field];
    if (c.disabled) return;
    const len = this.#cur.length;
    if (len > c.maxLen) c.maxLen = len;
    this.#tokens.push(this.#cur);
    this.#cols.push(this.#field);
    this.#cur = "";
    const pad = len % 2;
    if (CHUNK_DATA - (this.#tokenStart + 2 + len) - pad < 2) {
      this.#chunks++;
      this.#tokenStart = 0;
    } else {
      this.#tokenStart += 2 + len + pad;
    }
  }

  /** Prints everything buffered and empties the buffer. */
  render(): void {
    if (this.#chunks === 0) return;
    // The field being written is the last token; like ss, its length does not count for the widths.
    if (!this.columns[this.#field].disabled) {
      this.#tokens.push(this.#cur);
      this.#cols.push(this.#field);
    }
    this.#calcWidths();
    const cols = this.columns;
    const parts: string[] = [];
    let lineStarted = false;
    const tokens = this.#tokens, ids = this.#cols;
    for (let i = 0; i < tokens.length; i++) {
      const c = cols[ids[i]];
      const t = tokens[i];
      let printed = 0;
      if (lineStarted) {
        parts.push(c.delim);
        printed = c.delim.length;
      }
      lineStarted = true;
      if (c.width && c.align === 2) {
        const s = c.width - t.length - printed;
        if (s > 0) {
          parts.push(spaces(s));
          printed += s;
        }
      }
      parts.push(t);
      printed += t.length;
      if (c.width && c.align === 0) {
        const s = c.width - printed;
        if (s > 0) parts.push(spaces(s));
      }
      if (ids[i] === LAST) {
        parts.push("\n");
        lineStarted = false;
      }
    }
    if (lineStarted) parts.push("\n");
    this.#write(parts.join(""));
    this.#tokens = [];
    this.#cols = [];
    this.#cur = "";
    this.#chunks = 0;
    this.#tokenStart = 0;
    this.#field = 0;
    // Like ss, a column never forgets its widest field: later blocks are at least as wide.
  }

  #calcWidths(): void {
    const cols = this.columns;
    let screen = this.#screenWidth();
    const compact = screen === -1;
    if (compact) screen = Number.MAX_SAFE_INTEGER;
    let first = true;
    for (const c of cols) {
      if (c.disabled) continue;
      c.width = !first && c.maxLen ? c.maxLen + c.delim.length : c.maxLen;
      c.width = Math.min(c.width, screen);
      if (c.width) first = false;
    }
    if (compact) return;
    // On a terminal: break lines where the columns overflow, spread the spare width.
    let len = 0, lineCols = 0, eol = -1;
    for (let i = 0; i < cols.length; i++) {
      if (!cols[i].width) continue;
      lineCols++;
      len += cols[i].width;
      let last = true;
      for (let j = i + 1; j < cols.length; j++) {
        if (cols[j].width) {
          last = false;
          break;
        }
      }
      if (!last && len < screen) continue;
      if (len !== screen) {
        if (len > screen) {
          len -= cols[i].width;
          i--;
          lineCols--;
        }
        const pad = screen - len;
        const spacing = Math.trunc(pad / lineCols);
        let rem = pad % lineCols;
        for (let j = i; j > eol; j--) {
          if (!cols[j].width) continue;
          cols[j].width += spacing;
          if (rem) {
            cols[j].width++;
            rem--;
          }
        }
      }
      eol = i;
      len = 0;
      lineCols = 0;
    }
  }
}

const SPACES: string[] = [];
function spaces(n: number): string {
  if (n < 64) return SPACES[n] ??= " ".repeat(n);
  return " ".repeat(n);
}
