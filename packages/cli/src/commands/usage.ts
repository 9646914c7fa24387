// Help texts, one per command.

export const MAIN_USAGE = `Usage: workload-identity <command> [options]

Commands:
  doctor        diagnose Entra Workload Identity in this pod: variables, token file, claims, issuer, exchange
  check         before deploying: say, per workload in Kubernetes manifests, whether Workload Identity will work
  jwks          print the JSON Web Key Set of service-account signing keys (as azwi jwks does)
  issuer-docs   write the discovery document and JWKS of a self-managed cluster's OIDC issuer

Run 'workload-identity <command> --help' for a command's options.`;

export const DOCTOR_USAGE = `Usage: workload-identity doctor [options]

Checks, in order: AZURE_CLIENT_ID, AZURE_TENANT_ID, AZURE_FEDERATED_TOKEN_FILE and AZURE_AUTHORITY_HOST; the
token file (readable, a JWT, not expired, rotated); the token's claims; the issuer's discovery document and
JWKS over HTTPS (holding the token's kid); a real token exchange. In an AKS identity-binding pod (any
AZURE_KUBERNETES_* variable set) also the binding's variables, the enableAzureProxy switch, the token proxy's CA
and a TLS handshake with the proxy, and the exchange goes through the proxy. Prints no token, only claims.

Options:
  --scope SCOPE        scope of the test exchange (default https://management.azure.com/.default)
  --audience AUD       the audience the token must carry, as the federated credential has it (default:
                       api://AKSIdentityBinding in an identity-binding pod, else by AZURE_AUTHORITY_HOST's
                       cloud, api://AzureADTokenExchange, or its USGov or China form)
  --token-file FILE    check this token file instead of AZURE_FEDERATED_TOKEN_FILE
  --timeout-ms N       longest wait of each network check and of the exchange, 1 to 2147483647 (default 15000)
  --json               print the report as JSON
  -h, --help           show this help

Exit codes: 0 every check passed (warnings allowed), 1 a check failed, 2 bad options.`;

export const CHECK_USAGE = `Usage: workload-identity check [options] FILE|DIR|- ...
Reads Kubernetes manifests (multi-document YAML; directories are searched for .yaml and .yml files; - reads
standard input, as in helm template ... | workload-identity check -) and says, for every Pod, Deployment,
StatefulSet, DaemonSet, ReplicaSet, Job and CronJob, by the Azure Workload Identity webhook's rules: whether the
webhook will mutate it, the service account and its annotations, the token and what each container gets, the
proxy sidecar and identity binding where asked for, conflicts, and the federated credential Entra will look for.
Other kinds are counted and skipped.
Options:
  --issuer URL         the cluster's service-account issuer, exactly (AKS: az aks show --query
                       oidcIssuerProfile.issuerUrl, trailing slash included)
  --federated-credentials [CLIENT_ID=]FILE
                       the JSON of az identity federated-credential list (or Microsoft Graph's list): predicts
                       Entra's verdict and AADSTS code; repeat it with CLIENT_ID= for several identities
  --audience AUD       the audience the webhook projects (its --audience; default: the cloud's)
  --cloud NAME         public (default), usgov or china: the authority host and recommended audience
  -n, --namespace NS   the namespace of objects that name none, as kubectl apply (default: default)
  --webhook-version V  1.6 (default) or 1.5: the webhook release whose behaviour to reproduce
  --format FORMAT      text (default), json, or github (workflow annotations, then the text)
  --json               the same as --format json
  -h, --help           show this help
Exit codes: 0 no workload will fail (warnings allowed), 1 a workload will fail, 2 bad input or options.`;

export const JWKS_USAGE = `Usage: workload-identity jwks --public-keys FILE [--public-keys FILE...] [--output-file FILE]

Prints the JSON Web Key Set for PEM keys (RSA, or EC P-256/P-384/P-521; public keys, private keys, whose
public key is taken, or certificates), each with use "sig", kty, kid and alg, the kid being base64url of the
SHA-256 of the DER SubjectPublicKeyInfo, as kube-apiserver and azwi compute it.

Options:
  --public-keys FILE   a PEM file; repeat it, or separate files with commas, for several
  --output-file FILE   write the JWKS to FILE instead of stdout
  -h, --help           show this help

Exit codes: 0 written, 1 a key file is unreadable or unsupported, 2 bad options.`;

export const ISSUER_DOCS_USAGE = `Usage: workload-identity issuer-docs --issuer-url URL --public-keys FILE... --output-dir DIR

Writes DIR/.well-known/openid-configuration and DIR/openid/v1/jwks, to upload so that they are served at
URL/.well-known/openid-configuration and URL/openid/v1/jwks. URL must be kube-apiserver's
--service-account-issuer exactly (a trailing slash, or none, included).

Options:
  --issuer-url URL     the issuer URL; https (an http URL is written with a warning: Entra will refuse it)
  --public-keys FILE   a PEM file; repeat it, or separate files with commas, for several
  --output-dir DIR     where to write the two documents (created if missing)
  -h, --help           show this help

Exit codes: 0 written, 1 a key file is unreadable or unsupported or DIR is not writable, 2 bad options.`;
