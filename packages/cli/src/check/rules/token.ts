// The projected service-account token the webhook adds: its volume and mount, audience and lifetime, and which
// containers get it (skip-containers).
import { oneLine } from "../../lib/one-line.js";
import { asArray, asObject, asString } from "../../lib/plain-data.js";
import type { Finding } from "../report/types.js";
import {
  MAX_TOKEN_EXPIRATION,
  MIN_TOKEN_EXPIRATION,
  SKIP_CONTAINERS_ANNOTATION,
  TOKEN_EXPIRATION_ANNOTATION,
} from "../webhook/contract.js";
import { skippedContainers } from "../webhook/skip-containers.js";
import { tokenExpiration } from "../webhook/token-expiration.js";
import { finding, type WorkloadContext } from "./context.js";

export interface TokenFacts {
  audience: string;
  /** Seconds; undefined when the webhook refuses the pod over the expiration. */
  expirationSeconds: number | undefined;
}

export function tokenFindings(
  context: WorkloadContext,
  audience: { value: string; reason: string },
): { findings: Finding[]; facts: TokenFacts } {
  const { workload, account, settings } = context;
  const webhook = settings.webhook;
  const found: Finding[] = [];
  const expiration = tokenExpiration(workload, account);
  const skipPath = [...workload.templatePath, "metadata", "annotations", SKIP_CONTAINERS_ANNOTATION];

  if (!expiration.ok) {
    const shown = oneLine(
      typeof expiration.value === "string" ? JSON.stringify(expiration.value) : String(expiration.value),
    );
    const problem = {
      "not-a-string": `is the YAML ${typeof expiration.value} ${shown}, not a string: Kubernetes refuses the object`,
      "not-a-number": `is ${shown}, not a whole number of seconds: the webhook refuses the pod`,
      "out-of-range": `is ${shown}, outside ${MIN_TOKEN_EXPIRATION} to ${MAX_TOKEN_EXPIRATION} seconds: the webhook refuses the pod`,
    }[expiration.problem];
    found.push(
      finding(workload, {
        id: "token",
        status: "fail",
        code: expiration.problem === "not-a-string" ? "ERR_NOT_A_STRING" : "ERR_TOKEN_EXPIRATION",
        message: `${TOKEN_EXPIRATION_ANNOTATION} on ${expiration.source} ${problem}${workload.kind === "Pod" ? "" : `, so the ${workload.kind} gets no pods`}`,
        fix: `set it to a quoted whole number of seconds from ${MIN_TOKEN_EXPIRATION} to ${MAX_TOKEN_EXPIRATION} (e.g. "86400"), or remove it for ${MIN_TOKEN_EXPIRATION}`,
        ...(expiration.podPath === undefined ? {} : { path: expiration.podPath }),
      }),
    );
  } else {
    const podName = workload.kind === "Pod" ? asString(workload.ownMetadata.name) : undefined;
    found.push(
      finding(workload, {
        id: "token",
        status: "pass",
        message: `volume ${webhook.volumeName(podName)} mounted read-only at ${webhook.mountPath}; AZURE_FEDERATED_TOKEN_FILE ${webhook.tokenFile}; audience ${oneLine(audience.value)} (${audience.reason}); expires after ${expiration.seconds} s (${expiration.fromAnnotation ? `set on ${expiration.source}` : expiration.source}), and kubelet renews it at 80% of that`,
        details: {
          volume: webhook.volumeName(podName),
          mountPath: webhook.mountPath,
          tokenFile: webhook.tokenFile,
          audience: audience.value,
          expirationSeconds: expiration.seconds,
        },
      }),
    );
  }

  const skipped = skippedContainers(workload);
  const names = new Set(workload.containers.map((c) => c.name));
  const unknown = [...skipped].filter((name) => !names.has(name));
  if (unknown.length > 0) {
    const comma = unknown.some((name) => name.includes(",")) ? ' (names are separated by ";", not ",")' : "";
    found.push(
      finding(workload, {
        id: "token",
        status: "warn",
        code: "WARN_SKIP_CONTAINERS_UNKNOWN",
        message: `${SKIP_CONTAINERS_ANNOTATION} names ${unknown.map((n) => JSON.stringify(oneLine(n))).join(", ")}, which no container is called${comma}, so those names skip nothing`,
        fix: `list the containers to skip by name, separated by ";"`,
        path: skipPath,
      }),
    );
  }
  if (workload.containers.length > 0 && workload.containers.every((c) => skipped.has(c.name))) {
    found.push(
      finding(workload, {
        id: "token",
        status: "warn",
        code: "WARN_NO_CONTAINER_INJECTED",
        message: `${SKIP_CONTAINERS_ANNOTATION} skips every container, so none gets the variables or the token`,
        fix: `leave out of ${SKIP_CONTAINERS_ANNOTATION} the containers that authenticate`,
        path: skipPath,
      }),
    );
  }
  found.push(...ownTokenVolume(context));
  return {
    findings: found,
    facts: { audience: audience.value, expirationSeconds: expiration.ok ? expiration.seconds : undefined },
  };
}

/** v1.5 adds no volume when the pod already projects a token at its path: the pod's own audience and lifetime apply. */
function ownTokenVolume({ workload, settings }: WorkloadContext): Finding[] {
  if (!settings.webhook.keepsExistingMount) return [];
  const tokenPath = settings.webhook.volumeName(undefined);
  return (asArray(workload.spec.volumes) ?? []).flatMap((entry, index) => {
    const volume = asObject(entry);
    const sources = asArray(asObject(volume?.projected)?.sources) ?? [];
    const token = sources
      .map((s) => asObject(asObject(s)?.serviceAccountToken))
      .find((t) => asString(t?.path) === tokenPath);
    if (volume === undefined || token === undefined) return [];
    return [
      finding(workload, {
        id: "token",
        status: "warn",
        code: "WARN_OWN_TOKEN_VOLUME",
        message: `the pod projects its own token at path ${tokenPath} (volume ${oneLine(asString(volume.name) ?? "?")}): webhook ${settings.webhook.release} then adds no volume, so that volume's audience (${oneLine(asString(token.audience) ?? "the API server's default")}) and expirationSeconds apply`,
        fix: `remove that volume and let the webhook project the token`,
        path: [...workload.templatePath, "spec", "volumes", index],
      }),
    ];
  });
}
