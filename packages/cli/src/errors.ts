// The CLI's error family: a stable `code` to switch on and a one-line message that names the fix.

export type CliErrorCode =
  /** A missing or malformed option: the CLI exits 2. */
  | "ERR_USAGE"
  /** The issuer URL given to issuer-docs cannot be an OIDC issuer: the CLI exits 2. */
  | "ERR_INVALID_ISSUER_URL"
  /** A key file cannot be read, or holds no usable PEM block. */
  | "ERR_KEY_FILE"
  /** A key that Kubernetes cannot sign service-account tokens with (Ed25519, RSA-PSS, other curves). */
  | "ERR_UNSUPPORTED_KEY"
  /** An output file or directory cannot be written. */
  | "ERR_OUTPUT"
  /** `check`'s input cannot be checked: unreadable, not YAML, a document without kind, empty: the CLI exits 2. */
  | "ERR_INPUT";

export class WorkloadIdentityCliError extends Error {
  readonly code: CliErrorCode;

  constructor(code: CliErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "WorkloadIdentityCliError";
    this.code = code;
  }
}

/** Usage errors and input `check` cannot read exit 2, as most CLIs do; everything else that stops a command exits 1. */
export function exitCodeOf(error: WorkloadIdentityCliError): 1 | 2 {
  return isUsageError(error) || error.code === "ERR_INPUT" ? 2 : 1;
}

/** A problem with the command line itself, which `--help` answers. */
export function isUsageError(error: WorkloadIdentityCliError): boolean {
  return error.code === "ERR_USAGE" || error.code === "ERR_INVALID_ISSUER_URL";
}
