// The check's options resolved and validated in one place, before any input is read: each problem is a usage
// error naming the option.
import { WorkloadIdentityCliError } from "../errors.js";
import { parseIssuerUrl } from "../issuer-docs/issuer-url.js";
import { CLOUDS, isCloudId, type Cloud } from "../lib/clouds.js";
import { oneLine } from "../lib/one-line.js";
import type { CredentialList } from "./federation/credential-list.js";
import {
  DEFAULT_WEBHOOK_VERSION,
  parseWebhookVersion,
  WEBHOOK_VERSIONS,
  type WebhookVersion,
} from "./webhook/webhook-version.js";

export interface CheckOptions {
  /** Files, directories (searched for .yaml and .yml) and "-" for standard input. */
  inputs: readonly string[];
  /** Reads standard input, for "-". */
  readStdin?: () => Promise<string>;
  /** The namespace of objects that name none, as kubectl apply would take it (default "default"). */
  namespace?: string;
  /** The cluster's service-account issuer, exactly as its tokens carry it. */
  issuer?: string;
  /** The audience the webhook projects (its --audience); default: the cloud's. */
  audience?: string;
  /** The cloud the webhook runs in (its AZURE_ENVIRONMENT): public (default), usgov or china. */
  cloud?: string;
  /** The webhook release whose behaviour to reproduce: 1.6 (default) or 1.5. */
  webhookVersion?: string;
  /** `az identity federated-credential list` output files, each optionally `CLIENT_ID=FILE`. */
  federatedCredentials?: readonly string[];
}

/** The settings every rule reads, resolved from CheckOptions. */
export interface CheckSettings {
  webhook: WebhookVersion;
  cloud: Cloud;
  /** The audience the webhook projects outside identity bindings, and why (--audience, or the cloud's). */
  audience: { value: string; reason: string };
  /** --issuer: the cluster's service-account issuer, exactly. */
  issuer: string | undefined;
  /** --federated-credentials: the lists, each for one client id or (without one) for any. */
  credentialLists: readonly CredentialList[];
}

/** Kubernetes' namespace names: DNS labels (RFC 1123). */
const NAMESPACE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

export function resolveSettings(
  options: CheckOptions,
): Omit<CheckSettings, "credentialLists"> & { namespace: string; warnings: string[] } {
  const namespace = options.namespace ?? "default";
  if (!NAMESPACE.test(namespace)) {
    throw usage(
      `--namespace ${JSON.stringify(oneLine(namespace))} is not a namespace name (lower-case letters, digits and "-", at most 63)`,
    );
  }
  const cloudId = options.cloud ?? "public";
  if (!isCloudId(cloudId)) {
    throw usage(`--cloud must be public, usgov or china, not ${JSON.stringify(oneLine(cloudId))}`);
  }
  const cloud = CLOUDS[cloudId];
  const versionId =
    options.webhookVersion === undefined
      ? DEFAULT_WEBHOOK_VERSION
      : parseWebhookVersion(options.webhookVersion);
  if (versionId === undefined) {
    throw usage(
      `--webhook-version must be 1.6 or 1.5, not ${JSON.stringify(oneLine(options.webhookVersion ?? ""))}`,
    );
  }
  const audience = options.audience?.trim();
  if (audience === "") throw usage("--audience must not be empty.");
  const warnings: string[] = [];
  let issuer: string | undefined;
  if (options.issuer !== undefined) {
    const parsed = parseIssuerUrl(options.issuer);
    issuer = parsed.issuer;
    warnings.push(...parsed.warnings);
  }
  return {
    namespace,
    cloud,
    webhook: WEBHOOK_VERSIONS[versionId],
    audience:
      audience === undefined
        ? {
            value: cloud.audience,
            reason:
              cloud.id === "public"
                ? "the webhook's default"
                : `${cloud.name}'s, as Microsoft recommends; --audience if the webhook projects another`,
          }
        : { value: audience, reason: "from --audience" },
    issuer,
    warnings,
  };
}

function usage(message: string): WorkloadIdentityCliError {
  return new WorkloadIdentityCliError("ERR_USAGE", message);
}
