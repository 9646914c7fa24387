// One public key as a JWK the way kube-apiserver and azwi publish it: use "sig", kid, alg from the key type.
import type { KeyObject } from "node:crypto";
import { WorkloadIdentityCliError } from "../errors.js";
import { keyIdOf } from "./key-id.js";

export type SigningAlgorithm = "RS256" | "ES256" | "ES384" | "ES512";

/** Fields in azwi's order (go-jose's), so outputs compare line by line. */
export type SigningJwk =
  | { use: "sig"; kty: "RSA"; kid: string; alg: "RS256"; n: string; e: string }
  | {
      use: "sig";
      kty: "EC";
      kid: string;
      crv: "P-256" | "P-384" | "P-521";
      alg: "ES256" | "ES384" | "ES512";
      x: string;
      y: string;
    };

const CURVES = {
  prime256v1: { crv: "P-256", alg: "ES256" },
  secp384r1: { crv: "P-384", alg: "ES384" },
  secp521r1: { crv: "P-521", alg: "ES512" },
} as const;

export function jwkOf(key: KeyObject): SigningJwk {
  switch (key.asymmetricKeyType) {
    case "rsa": {
      const { n, e } = key.export({ format: "jwk" });
      return { use: "sig", kty: "RSA", kid: keyIdOf(key), alg: "RS256", n: required(n), e: required(e) };
    }
    case "ec": {
      const curve = key.asymmetricKeyDetails?.namedCurve ?? "";
      if (!(curve in CURVES)) {
        throw unsupported(`the EC curve ${curve}; use P-256, P-384 or P-521`);
      }
      const { crv, alg } = CURVES[curve as keyof typeof CURVES];
      const { x, y } = key.export({ format: "jwk" });
      return { use: "sig", kty: "EC", kid: keyIdOf(key), crv, alg, x: required(x), y: required(y) };
    }
    default:
      throw unsupported(
        `${key.asymmetricKeyType ?? "unknown"} keys; use an RSA or an EC (P-256, P-384, P-521) key`,
      );
  }
}

function required(value: string | undefined): string {
  if (value === undefined) throw unsupported("a key whose JWK export is incomplete");
  return value;
}

function unsupported(what: string): WorkloadIdentityCliError {
  return new WorkloadIdentityCliError(
    "ERR_UNSUPPORTED_KEY",
    `Kubernetes service-account tokens cannot be signed with ${what}.`,
  );
}
