/**
 * EtherType words and names: every name iproute2 6.1 (the Debian build this
 * project compares with) reads, with its number, in any case, and the name
 * it prints for each number.
 */
import { equal } from "node:assert/strict";
import { llProto } from "../../cli/common/ll_proto.ts";
import { ETH_P } from "../../src/route/tables.ts";

/** iproute2's ll_proto table, in its order (lib/ll_proto.c), and the two names the Debian build adds. */
const IPROUTE2: [string, number][] = [
  ["loop", 0x0060],
  ["pup", 0x0200],
  ["pupat", 0x0201],
  ["ip", 0x0800],
  ["x25", 0x0805],
  ["arp", 0x0806],
  ["bpq", 0x08ff],
  ["ieeepup", 0x0a00],
  ["ieeepupat", 0x0a01],
  ["dec", 0x6000],
  ["dna_dl", 0x6001],
  ["dna_rc", 0x6002],
  ["dna_rt", 0x6003],
  ["lat", 0x6004],
  ["diag", 0x6005],
  ["cust", 0x6006],
  ["sca", 0x6007],
  ["rarp", 0x8035],
  ["atalk", 0x809b],
  ["aarp", 0x80f3],
  ["ipx", 0x8137],
  ["ipv6", 0x86dd],
  ["ppp_disc", 0x8863],
  ["ppp_ses", 0x8864],
  ["atmmpoa", 0x884c],
  ["atmfate", 0x8884],
  ["802_3", 0x0001],
  ["ax25", 0x0002],
  ["all", 0x0003],
  ["802_2", 0x0004],
  ["snap", 0x0005],
  ["ddcmp", 0x0006],
  ["wan_ppp", 0x0007],
  ["ppp_mp", 0x0008],
  ["localtalk", 0x0009],
  ["can", 0x000c],
  ["ppptalk", 0x0010],
  ["tr_802_2", 0x0011],
  ["mobitex", 0x0015],
  ["control", 0x0016],
  ["irda", 0x0017],
  ["econet", 0x0018],
  ["tipc", 0x88ca],
  ["profinet", 0x8892],
  ["aoe", 0x88a2],
  ["ethercat", 0x88a4],
  ["802.1Q", 0x8100],
  ["802.1ad", 0x88a8],
  ["mpls_uc", 0x8847],
  ["mpls_mc", 0x8848],
  ["teb", 0x6558],
  ["LLDP", 0x88cc],
];

Deno.test("ll_proto: every name of iproute2's table, in any case, and the names printed", () => {
  for (const [name, value] of IPROUTE2) {
    for (const spelling of [name, name.toUpperCase(), name.toLowerCase()]) {
      const p = llProto(spelling);
      equal(typeof p === "number" ? p : ETH_P.value(p!), value, spelling);
    }
    equal(ETH_P.name(value), name, `the name of 0x${value.toString(16)}`);
  }
  equal(ETH_P.value(llProto("IPv4") as string), 0x0800);
  equal(ETH_P.names.length, IPROUTE2.length + 1, "no name iproute2 lacks");
});

Deno.test("ll_proto: numbers as get_be16 reads them; anything else is nothing", () => {
  equal(llProto("0x88cc"), 0x88cc);
  equal(llProto("2048"), 2048);
  equal(llProto("65536"), undefined);
  equal(llProto("bogus"), undefined);
  equal(llProto("8021q"), undefined);
});
