/**
 * Reading a secret the way C's getpass() does, for `ip sr hmac set`: on the
 * controlling terminal (prompt there, echo off, a newline after), or, when
 * the process has none, a prompt on standard error and one line of standard
 * input. The line ends at its newline (dropped) or at the end of input; like
 * a C string it also ends at a NUL byte.
 *
 * @module
 */

const encoder = new TextEncoder();

/** Control keys handled while reading from a terminal in raw mode. */
const KEY = { ETX: 0x03, EOT: 0x04, BS: 0x08, LF: 0x0a, CR: 0x0d, NAK: 0x15, DEL: 0x7f } as const;

/**
 * Shows `prompt` and reads one secret line, as bytes.
 *
 * @example
 * ```ts ignore
 * const secret = await readSecret("Enter secret: ");
 * ```
 */
export async function readSecret(prompt: string): Promise<Uint8Array> {
  let tty: Deno.FsFile | undefined;
  try {
    tty = await Deno.open("/dev/tty", { read: true, write: true });
  } catch {
    // No controlling terminal (ENXIO) or no permission: getpass falls back to stdin and stderr.
  }
  if (tty !== undefined && tty.isTerminal()) {
    try {
      return await fromTerminal(tty, prompt);
    } finally {
      tty.close();
    }
  }
  tty?.close();
  await writeAll(Deno.stderr, encoder.encode(prompt));
  return cut(await readLine(Deno.stdin));
}

/** Everything up to the first NUL (what C's strlen sees). */
function cut(line: Uint8Array): Uint8Array {
  const nul = line.indexOf(0);
  return nul < 0 ? line : line.subarray(0, nul);
}

async function writeAll(w: { write(p: Uint8Array): Promise<number> }, bytes: Uint8Array): Promise<void> {
  for (let off = 0; off < bytes.length;) off += await w.write(bytes.subarray(off));
}

/** One line of `r`, without its newline (the end of input ends it too). */
async function readLine(r: { read(p: Uint8Array): Promise<number | null> }): Promise<Uint8Array> {
  const parts: number[] = [];
  const buf = new Uint8Array(1);
  // One byte at a time: what follows the line stays unread for whoever reads next.
  while (true) {
    const n = await r.read(buf);
    if (n === null || n === 0) break;
    if (buf[0] === KEY.LF) break;
    parts.push(buf[0]);
  }
  return Uint8Array.from(parts);
}

/**
 * Reads from the terminal in raw mode (no echo), doing the line editing the
 * terminal would: erase, kill line, end of input. Ctrl-C gives up.
 */
async function fromTerminal(tty: Deno.FsFile, prompt: string): Promise<Uint8Array> {
  // Echo goes off before the prompt shows, so nothing typed after the prompt is echoed.
  tty.setRaw(true);
  const line: number[] = [];
  try {
    await writeAll(tty, encoder.encode(prompt));
    const buf = new Uint8Array(64);
    reading: while (true) {
      const n = await tty.read(buf);
      if (n === null || n === 0) break;
      for (const b of buf.subarray(0, n)) {
        if (b === KEY.CR || b === KEY.LF) break reading;
        if (b === KEY.ETX) throw new Deno.errors.Interrupted("secret entry interrupted");
        if (b === KEY.EOT && line.length === 0) break reading;
        if (b === KEY.DEL || b === KEY.BS) line.pop();
        else if (b === KEY.NAK) line.length = 0;
        else line.push(b);
      }
    }
  } finally {
    tty.setRaw(false);
    await writeAll(tty, encoder.encode("\n"));
  }
  return cut(Uint8Array.from(line));
}
