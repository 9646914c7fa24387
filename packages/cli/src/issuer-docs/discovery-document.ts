// The OpenID discovery document kube-apiserver serves at /.well-known/openid-configuration.
import type { Jwks } from "../jwks/build-jwks.js";
import type { SigningAlgorithm } from "../jwks/jwk.js";
import type { IssuerUrl } from "./issuer-url.js";

export interface DiscoveryDocument {
  issuer: string;
  jwks_uri: string;
  response_types_supported: ["id_token"];
  subject_types_supported: ["public"];
  id_token_signing_alg_values_supported: SigningAlgorithm[];
}

export function discoveryDocument(issuerUrl: IssuerUrl, jwks: Jwks): DiscoveryDocument {
  return {
    issuer: issuerUrl.issuer,
    jwks_uri: issuerUrl.jwksUri,
    response_types_supported: ["id_token"],
    subject_types_supported: ["public"],
    id_token_signing_alg_values_supported: [...new Set(jwks.keys.map((key) => key.alg))],
  };
}
