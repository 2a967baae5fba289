/**
 * The CLI's colour rules (cli/common/color.ts), as iproute2's lib/color.c
 * has them: which option words ask for colour, when it is on, the palette
 * COLORFGBG selects, and what each kind of value is coloured.
 */
import assert from "node:assert/strict";
import {
  addressColor,
  Color,
  colored,
  colorOn,
  colorOption,
  enableColor,
  familyColor,
  operColor,
} from "../../cli/common/color.ts";

Deno.test("colour: -c, -col, -color and -color=MODE ask for it; -colour and unknown modes do not", () => {
  for (const w of ["-c", "-col", "-color", "-color=always"]) assert.equal(colorOption(w), "always", w);
  assert.equal(colorOption("-color=auto"), "auto");
  assert.equal(colorOption("-color=never"), "never");
  for (const w of ["-colour", "-color=sometimes", "-cx", "-j"]) assert.equal(colorOption(w), undefined, w);
});

Deno.test("colour: on for always, for auto on a terminal only, never with JSON", () => {
  try {
    assert.equal(enableColor("always", false, undefined, false), true);
    assert.equal(colored(Color.Ifname, "p0 "), "\x1b[36mp0 \x1b[0m");
    assert.equal(colored(Color.None, "default "), "default ");
    assert.equal(enableColor("always", true, undefined, true), false);
    assert.equal(colored(Color.Ifname, "p0 "), "p0 ");
    assert.equal(enableColor("auto", false, undefined, false), false);
    assert.equal(enableColor("auto", false, undefined, true), true);
    assert.equal(enableColor("never", false, undefined, true), false);
    assert.equal(enableColor(undefined, false, undefined, true), false);
    assert.equal(colorOn(), false);
  } finally {
    enableColor(undefined, false, undefined, false);
  }
});

Deno.test("colour: COLORFGBG's last field 0-6 or 8 means a dark background, the bold palette", () => {
  try {
    const mac = (fgbg: string | undefined) => {
      enableColor("always", false, fgbg, false);
      return colored(Color.Mac, "x");
    };
    for (const dark of ["15;0", "15;default;8", "0;6"]) assert.equal(mac(dark), "\x1b[1;33mx\x1b[0m", dark);
    for (const light of [undefined, "0;15", "15;7", "0", "15;10", "15;"]) {
      assert.equal(mac(light), "\x1b[33mx\x1b[0m", String(light));
    }
  } finally {
    enableColor(undefined, false, undefined, false);
  }
});

Deno.test("colour: addresses by family, bridge entries by address, states UP and DOWN", () => {
  assert.equal(familyColor("inet"), Color.Inet);
  assert.equal(familyColor(2), Color.Inet);
  assert.equal(familyColor("inet6"), Color.Inet6);
  assert.equal(familyColor("mpls"), Color.None);
  assert.equal(addressColor("bridge", "10.0.0.1"), Color.Inet);
  assert.equal(addressColor(7, "2001:db8::1"), Color.Inet6);
  assert.equal(addressColor("inet6", "2001:db8::1"), Color.Inet6);
  assert.equal(operColor("UP"), Color.OperUp);
  assert.equal(operColor("DOWN"), Color.OperDown);
  assert.equal(operColor("UNKNOWN"), Color.None);
});
