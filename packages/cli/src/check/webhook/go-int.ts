// Go's strconv.ParseInt(value, 10, bits), which the webhook uses for the token expiration and the proxy port:
// an optional sign and decimal digits, nothing else (no spaces, no "0x"), within the signed range.

export function parseGoInt(value: string, bits: 32 | 64): bigint | undefined {
  if (!/^[+-]?\d+$/.test(value)) return undefined;
  const parsed = BigInt(value);
  const limit = 1n << BigInt(bits - 1);
  return parsed >= -limit && parsed < limit ? parsed : undefined;
}
