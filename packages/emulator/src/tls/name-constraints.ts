// The X.509 name constraints extension (RFC 5280, 4.2.1.10) in DER: node-forge knows the extension's OID but
// cannot build its value. A CA carrying it can sign certificates for the permitted names only, whatever a leaf
// says: OpenSSL (Node, Python, curl), Go and the other TLS stacks refuse a leaf outside them.
import { isIPv4, isIPv6 } from "node:net";
import forge from "node-forge";

/** `2.5.29.30`, marked critical as RFC 5280 requires of a CA that sets it. */
export const NAME_CONSTRAINTS_OID = "2.5.29.30";

export interface PermittedNames {
  /** Each permits that host and every name below it (`vault.azure.net` permits `kv.vault.azure.net`). */
  dnsNames: string[];
  /** CIDR ranges such as `127.0.0.0/8` or `::1/128`. */
  ipRanges: string[];
}

const { asn1 } = forge;

/** The extension as forge's `setExtensions()` takes a raw one. */
export function nameConstraintsExtension(permitted: PermittedNames): {
  id: string;
  critical: true;
  value: string;
} {
  const subtrees = [
    ...permitted.dnsNames.map((name) => generalSubtree(2, name)),
    ...permitted.ipRanges.map((range) => generalSubtree(7, ipRangeBytes(range))),
  ];
  if (subtrees.length === 0) throw new Error("A name-constrained CA needs at least one permitted name.");
  const value = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
    // permittedSubtrees [0] IMPLICIT GeneralSubtrees
    asn1.create(asn1.Class.CONTEXT_SPECIFIC, contextTag(0), true, subtrees),
  ]);
  return { id: NAME_CONSTRAINTS_OID, critical: true, value: asn1.toDer(value).getBytes() };
}

/** GeneralSubtree ::= SEQUENCE { base GeneralName } with dNSName [2] or iPAddress [7], both implicit. */
function generalSubtree(tag: 2 | 7, bytes: string): forge.asn1.Asn1 {
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
    asn1.create(asn1.Class.CONTEXT_SPECIFIC, contextTag(tag), false, bytes),
  ]);
}

/** A context-specific tag number: forge's types say every tag is a universal type, its code takes any number. */
function contextTag(tag: 0 | 2 | 7): forge.asn1.Type {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
  return tag as unknown as forge.asn1.Type;
}

/** An iPAddress constraint is the address followed by its mask: 8 bytes for IPv4, 32 for IPv6. */
function ipRangeBytes(range: string): string {
  const [address = "", bitsText = ""] = range.split("/");
  const bits = /^\d{1,3}$/.test(bitsText) ? Number(bitsText) : NaN;
  const bytes = isIPv4(address) ? ipv4Bytes(address) : isIPv6(address) ? ipv6Bytes(address) : undefined;
  if (!bytes || !Number.isInteger(bits) || bits < 0 || bits > bytes.length * 8) {
    throw new Error(`"${range}" is not an IP range in CIDR form.`);
  }
  const mask = Buffer.alloc(bytes.length);
  for (let bit = 0; bit < bits; bit++) mask[bit >> 3] = (mask[bit >> 3] ?? 0) | (0x80 >> (bit & 7));
  return Buffer.concat([bytes, mask]).toString("binary");
}

function ipv4Bytes(address: string): Buffer {
  return Buffer.from(address.split(".").map(Number));
}

function ipv6Bytes(address: string): Buffer {
  const [head = "", tail] = address.split("::");
  const groups = (part: string) => (part === "" ? [] : part.split(":"));
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const all = [...left, ...Array<string>(8 - left.length - right.length).fill("0"), ...right];
  const out = Buffer.alloc(16);
  all.forEach((group, i) => out.writeUInt16BE(parseInt(group, 16), i * 2));
  return out;
}
