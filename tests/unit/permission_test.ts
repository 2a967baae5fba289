/** Without --allow-ffi, the library and the CLI say so in one line that names the flag. */
import { equal, match, ok } from "node:assert/strict";

const deno = Deno.execPath();
const decode = (b: Uint8Array) => new TextDecoder().decode(b);

Deno.test("the CLI without --allow-ffi prints one clear line naming the flag", async () => {
  const cli = new URL("../../cli/main.ts", import.meta.url).pathname;
  const out = await new Deno.Command(deno, {
    args: ["run", "--no-prompt", "--allow-read", "--allow-env", cli, "ip", "link", "show"],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const lines = decode(out.stderr).trim().split("\n");
  equal(lines.length, 1, decode(out.stderr));
  match(lines[0], /--allow-ffi/);
  equal(out.code, 1);
  equal(decode(out.stdout), "");
});

Deno.test("the library without --allow-ffi rejects with a PermissionError naming the flag", async () => {
  const mod = new URL("../../mod.ts", import.meta.url).href;
  const script = `import { Connection, PermissionError } from "${mod}";
    try { await Connection.open(); } catch (e) {
      console.log(e instanceof PermissionError, e.flag, e.message);
    }`;
  const file = await Deno.makeTempFile({ suffix: ".ts" });
  await Deno.writeTextFile(file, script);
  const out = await new Deno.Command(deno, { args: ["run", "--no-prompt", file], stdout: "piped", stderr: "piped" })
    .output();
  await Deno.remove(file);
  const text = decode(out.stdout).trim();
  ok(text.startsWith("true --allow-ffi "), text + decode(out.stderr));
  match(text, /run deno with --allow-ffi/);
});
