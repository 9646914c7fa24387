// What changed between the webhook releases `check` knows: where the token is mounted, the volume's name, what
// happens to a mount of that volume the pod already has, and identity bindings (v1.6 only).
import { createHash } from "node:crypto";

export type WebhookVersionId = "1.5" | "1.6";

export interface WebhookVersion {
  id: WebhookVersionId;
  /** The release whose pkg/webhook this reproduces. */
  release: string;
  commit: string;
  /** Where the projected volume is mounted, read-only, in every mutated container. */
  mountPath: string;
  /** AZURE_FEDERATED_TOKEN_FILE. */
  tokenFile: string;
  /** The projected volume's name; v1.6 derives it from the pod's name, unknown for a template's pods. */
  volumeName(podName: string | undefined): string;
  /**
   * v1.5 leaves a container's existing mount of its volume (`azure-identity-token`) as it is, subPath included;
   * v1.6 replaces any mount of its volume with its own.
   */
  keepsExistingMount: boolean;
  /** AZURE_KUBERNETES_CA_FILE in an identity-binding pod, or undefined where bindings do not exist. */
  identityBindingCaFile: string | undefined;
}

/** pkg/webhook/consts.go ProjectedVolumeNamePrefix, and buildVolumeName's 63-character cut. */
const RESERVED_VOLUME_PREFIX = "azure-workload-identity-reserved-";

export const WEBHOOK_VERSIONS: Record<WebhookVersionId, WebhookVersion> = {
  "1.5": {
    id: "1.5",
    release: "v1.5.1",
    commit: "30e0f1b",
    mountPath: "/var/run/secrets/azure/tokens",
    tokenFile: "/var/run/secrets/azure/tokens/azure-identity-token",
    volumeName: () => "azure-identity-token",
    keepsExistingMount: true,
    identityBindingCaFile: undefined,
  },
  "1.6": {
    id: "1.6",
    release: "v1.6.0",
    commit: "04d01a2",
    mountPath: "/var/run/secrets/azure/wi",
    tokenFile: "/var/run/secrets/azure/wi/token/azure-identity-token",
    volumeName: (podName) =>
      podName === undefined
        ? `${RESERVED_VOLUME_PREFIX}<hash of the pod's name>`
        : `${RESERVED_VOLUME_PREFIX}${createHash("sha256")
            .update(podName)
            .digest("hex")
            .slice(0, 63 - RESERVED_VOLUME_PREFIX.length)}`,
    keepsExistingMount: false,
    identityBindingCaFile: "/var/run/secrets/azure/wi/ca-cert/ca.crt",
  },
};

export const DEFAULT_WEBHOOK_VERSION: WebhookVersionId = "1.6";

/** "1.6", "v1.6.0" or "1.5.1" to a known version, or undefined. */
export function parseWebhookVersion(value: string): WebhookVersionId | undefined {
  const match = /^v?(\d+)\.(\d+)(?:\.\d+)?$/.exec(value.trim());
  const id = match === null ? undefined : `${match[1]}.${match[2]}`;
  return id === "1.5" || id === "1.6" ? id : undefined;
}
