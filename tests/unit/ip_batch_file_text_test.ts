/**
 * `BatchFileText` (cli/ip/batch_input.ts): a batch file read piece by piece
 * gives the same commands, with the same line numbers, as the whole file read
 * at once, wherever the reads happen to end.
 */
import assert from "node:assert/strict";
import { BatchFileText, commandAt, type ReadMore, type TextCommand } from "../../cli/ip/batch_input.ts";

/** A ReadMore over `bytes` that gives at most `step` bytes a read (a pipe's short reads), failing at `failAt`. */
function reader(bytes: Uint8Array, step = Infinity, failAt = Infinity): ReadMore {
  let at = 0;
  return (keep, size) => {
    if (at >= failAt) return Promise.reject(new Error("EIO"));
    if (at >= bytes.length) return Promise.resolve(null);
    const n = Math.min(size, step, bytes.length - at, failAt - at);
    const buf = new Uint8Array(keep.length + n);
    buf.set(keep);
    buf.set(bytes.subarray(at, at + n), keep.length);
    at += n;
    return Promise.resolve(buf);
  };
}

/** Every command of `texts` read in turn, as batch.ts reads the pieces. */
function commandsOf(texts: string[]): Omit<TextCommand, "next">[] {
  const out: Omit<TextCommand, "next">[] = [];
  let line = 0;
  for (const text of texts) {
    for (let pos = 0; pos < text.length;) {
      const c = commandAt(text, pos, line);
      out.push({ result: c.result, line: c.line });
      pos = c.next;
      line = c.line;
    }
  }
  return out;
}

async function pieces(read: ReadMore, first: number, max: number): Promise<string[]> {
  const text = new BatchFileText(read, first, max);
  const out: string[] = [];
  for (let t = await text.next(); t !== undefined; t = await text.next()) out.push(t);
  return out;
}

const SAMPLES: Record<string, string> = {
  plain: "route add 10.0.0.0/24 via 10.1.0.1 dev p0\nroute add 10.0.1.0/24 dev p0\n",
  "continued lines": "route add 10.0.0.0/24 \\\n via 10.1.0.1 \\\n dev p0\naddress add 10.2.0.1/24 dev p0\n",
  "comments with backslashes": "# a comment \\\nroute add 10.0.0.0/24 dev p0 # not continued \\\nlink set p0 up\n",
  "CRLF": "route add 10.0.0.0/24 dev p0\r\nlink set p0 up \\\r\nlink set p1 up\r\n",
  "UTF-8 across reads": 'link set p0 alias é–🦕é\nlink set p1 alias "ünïcödé 🦕"\n'.repeat(9),
  "byte-order marks": "\ufeffroute add 10.0.0.0/24 dev p0\n\ufefflink set p0 up\n",
  "no final newline": "route add 10.0.0.0/24 dev p0\nlink set p0 up",
  "continued at the end": "route add 10.0.0.0/24 dev p0\nlink set p0 \\\n",
  "blank lines": "\n\n   \n#\nlink set p0 up\n\n",
  "long line": `link set p0 alias ${"x".repeat(300)}\nlink set p0 up\n`,
  empty: "",
};

Deno.test("BatchFileText: the pieces read as the whole file, wherever the reads end", async () => {
  for (const [name, sample] of Object.entries(SAMPLES)) {
    const bytes = new TextEncoder().encode(sample);
    const whole = commandsOf([new TextDecoder().decode(bytes)]);
    for (
      const [first, max, step] of [[1, 2, Infinity], [3, 64, Infinity], [7, 7, 2], [16, 1024, 5], [
        1 << 14,
        1 << 20,
        Infinity,
      ]]
    ) {
      const texts = await pieces(reader(bytes, step), first, max);
      const label = `${name}, reads of ${first} to ${max} bytes, at most ${step} at a time`;
      assert.equal(texts.join(""), new TextDecoder().decode(bytes), label);
      assert.deepEqual(commandsOf(texts), whole, label);
      for (const t of texts.slice(0, -1)) assert.ok(t === "" || t.endsWith("\n"), `${label}: a piece ends mid-line`);
    }
  }
});

Deno.test("BatchFileText: a long file comes in few pieces, the first one small", async () => {
  const line = "route add 10.0.0.0/24 via 10.1.0.1 dev p0\n";
  const bytes = new TextEncoder().encode(line.repeat(100_000));
  const texts = await pieces(reader(bytes), 16_384, 1 << 20);
  assert.ok(texts[0].length <= 16_384, `first piece: ${texts[0].length} characters`);
  assert.ok(texts.length < 16, `${texts.length} pieces`);
  assert.equal(texts.join(""), line.repeat(100_000));
});

Deno.test("BatchFileText: a failing read ends the input, as iproute2's getline()", async () => {
  const bytes = new TextEncoder().encode("link set p0 up\nlink set p1 up\nlink set p2 up\n");
  assert.deepEqual(await pieces(reader(bytes, Infinity, 20), 16, 64), ["link set p0 up\n", "link "]);
  assert.deepEqual(await pieces(reader(bytes, Infinity, 0), 16, 64), []);
});
