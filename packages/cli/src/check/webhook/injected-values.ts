// The values the webhook gives the four variables for this pod, as far as the input tells: the client and tenant
// ids come from the service account (never from the pod), the token file from the release, the authority host
// from the cloud the webhook runs in.
import type { CheckSettings } from "../check-settings.js";
import type { ServiceAccountRef } from "../model/service-account.js";
import {
  AZURE_AUTHORITY_HOST,
  AZURE_CLIENT_ID,
  AZURE_FEDERATED_TOKEN_FILE,
  AZURE_TENANT_ID,
  CLIENT_ID_ANNOTATION,
  TENANT_ID_ANNOTATION,
} from "./contract.js";

export type WebhookValue =
  /** What the webhook injects. */
  | { kind: "value"; value: string }
  /** An empty value: the webhook injects nothing (it skips empty values). */
  | { kind: "none" }
  /** Decided outside the input: the cluster's tenant, an account that is not in the input. */
  | { kind: "unknown"; what: string };

export type InjectedVariable =
  | typeof AZURE_CLIENT_ID
  | typeof AZURE_TENANT_ID
  | typeof AZURE_FEDERATED_TOKEN_FILE
  | typeof AZURE_AUTHORITY_HOST;

export function injectedValues(
  account: ServiceAccountRef,
  settings: CheckSettings,
): Record<InjectedVariable, WebhookValue> {
  const inInput = account.object !== undefined;
  const clientId = account.annotations[CLIENT_ID_ANNOTATION];
  const tenantId = account.annotations[TENANT_ID_ANNOTATION];
  return {
    AZURE_CLIENT_ID: !inInput
      ? { kind: "unknown", what: "the service account's client-id annotation" }
      : typeof clientId === "string" && clientId !== ""
        ? { kind: "value", value: clientId }
        : { kind: "none" },
    // The webhook takes the annotation whenever the key exists, even empty, and the cluster's tenant otherwise.
    AZURE_TENANT_ID: !inInput
      ? { kind: "unknown", what: "the service account's tenant-id annotation, else the cluster's tenant" }
      : tenantId === undefined
        ? { kind: "unknown", what: "the cluster's tenant (the webhook's AZURE_TENANT_ID)" }
        : typeof tenantId === "string" && tenantId !== ""
          ? { kind: "value", value: tenantId }
          : { kind: "none" },
    AZURE_FEDERATED_TOKEN_FILE: { kind: "value", value: settings.webhook.tokenFile },
    AZURE_AUTHORITY_HOST: { kind: "value", value: settings.cloud.authorityHost },
  };
}
