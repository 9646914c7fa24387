// What each container gets: the webhook adds each variable the container does not set itself (keeping the
// container's own value, whatever it is) and mounts the token volume; a subPath mount of a token, or another
// mount at the webhook's path, breaks it.
import { redactUrl } from "../../lib/redact-url.js";
import { oneLine } from "../../lib/one-line.js";
import { asArray, asObject, asString, type PlainObject } from "../../lib/plain-data.js";
import { IDENTITY_BINDING_VARIABLES } from "../../doctor/identity-binding.js";
import type { Container } from "../model/workload.js";
import type { Finding } from "../report/types.js";
import { AZURE_AUTHORITY_HOST, AZURE_FEDERATED_TOKEN_FILE, INJECTED_VARIABLES } from "../webhook/contract.js";
import { injectedValues, type InjectedVariable, type WebhookValue } from "../webhook/injected-values.js";
import { skippedContainers } from "../webhook/skip-containers.js";
import { finding, type WorkloadContext } from "./context.js";

interface EnvEntry {
  name: string;
  value: string | undefined;
  fromSource: boolean;
  index: number;
}

export function containerFindings(
  context: WorkloadContext,
  identityBinding: boolean,
  expirationSeconds: number | undefined,
): Finding[] {
  const { workload } = context;
  const skipped = skippedContainers(workload);
  const values = injectedValues(context.account, context.settings);
  return workload.containers.flatMap((container) => {
    const at = { container: container.name, ...(container.init ? { init: true } : {}) };
    if (skipped.has(container.name)) {
      return [
        finding(workload, {
          id: "container",
          ...at,
          status: "skip",
          message: "skipped (skip-containers): no variables, no token",
          path: container.path,
        }),
      ];
    }
    const env = envOf(container.body);
    const problems = [
      ...variableProblems(context, container, env, values),
      ...(identityBinding ? bindingVariableProblems(context, container, env) : []),
      ...mountProblems(context, container, expirationSeconds),
    ].map((problem) => ({ ...problem, ...at }));
    if (problems.some((p) => p.status === "fail")) return problems;
    return [
      finding(workload, {
        id: "container",
        ...at,
        status: "pass",
        message: summary(context, env, values, identityBinding),
        path: container.path,
      }),
      ...problems,
    ];
  });
}

function envOf(container: PlainObject): EnvEntry[] {
  return (asArray(container.env) ?? []).flatMap((entry, index) => {
    const env = asObject(entry);
    const name = asString(env?.name);
    if (env === undefined || name === undefined) return [];
    const raw = env.value;
    return [
      {
        name,
        value:
          typeof raw === "string" ? raw : raw === undefined || raw === null ? undefined : JSON.stringify(raw),
        fromSource: env.valueFrom !== undefined,
        index,
      },
    ];
  });
}

function variableProblems(
  { workload, account }: WorkloadContext,
  container: Container,
  env: EnvEntry[],
  values: Record<InjectedVariable, WebhookValue>,
): Finding[] {
  return env.flatMap((entry) => {
    if (!(INJECTED_VARIABLES as readonly string[]).includes(entry.name)) return [];
    const name = entry.name as InjectedVariable;
    const path = [...container.path, "env", entry.index];
    const webhook = values[name];
    if (entry.fromSource) {
      return [
        finding(workload, {
          id: "container",
          status: "warn",
          code: "WARN_ENV_SET_BY_CONTAINER",
          message: `sets ${name} from valueFrom itself: the webhook keeps it${webhook.kind === "value" ? `, so it must hold ${shown(name, webhook.value)}` : ""}`,
          fix: `remove ${name} from env and let the webhook set it`,
          path,
        }),
      ];
    }
    const own = entry.value ?? "";
    if (webhook.kind !== "value" || own === webhook.value) return [];
    const consequence: Record<InjectedVariable, string> = {
      AZURE_CLIENT_ID: `the service account ${account.namespace}/${oneLine(account.name)} says ${shown(name, webhook.value)}: the container authenticates as ${shown(name, own)}, and the federated credential must be on that identity`,
      AZURE_TENANT_ID: `the service account says ${shown(name, webhook.value)}: the container asks that other tenant for tokens`,
      AZURE_FEDERATED_TOKEN_FILE: `the webhook puts the token at ${webhook.value}, so the container reads a file that is not there`,
      AZURE_AUTHORITY_HOST: `the webhook's cloud uses ${webhook.value}`,
    };
    const severity = name === AZURE_AUTHORITY_HOST ? "warn" : "fail";
    return [
      finding(workload, {
        id: "container",
        status: severity,
        code: severity === "fail" ? "ERR_ENV_CONFLICT" : "WARN_ENV_SET_BY_CONTAINER",
        message: `sets ${name} to ${shown(name, own)} itself, and the webhook keeps it; but ${consequence[name]}`,
        fix: `remove ${name} from env and let the webhook set it`,
        path,
      }),
    ];
  });
}

function bindingVariableProblems(
  { workload }: WorkloadContext,
  container: Container,
  env: EnvEntry[],
): Finding[] {
  return env
    .filter((entry) => (IDENTITY_BINDING_VARIABLES as readonly string[]).includes(entry.name))
    .map((entry) =>
      finding(workload, {
        id: "container",
        status: "warn",
        code: "WARN_ENV_SET_BY_CONTAINER",
        message: `sets ${entry.name} itself: the webhook keeps it instead of the identity binding's value`,
        fix: `remove ${entry.name} from env; the webhook sets the AZURE_KUBERNETES_* variables from the cluster's binding`,
        path: [...container.path, "env", entry.index],
      }),
    );
}

function mountProblems(
  { workload, settings }: WorkloadContext,
  container: Container,
  expirationSeconds: number | undefined,
): Finding[] {
  const webhook = settings.webhook;
  const ownVolumeName = webhook.volumeName(undefined);
  const volumes = new Map(
    (asArray(workload.spec.volumes) ?? []).flatMap((entry) => {
      const volume = asObject(entry);
      const name = asString(volume?.name);
      return volume === undefined || name === undefined ? [] : [[name, volume] as const];
    }),
  );
  const lifetime = expirationSeconds === undefined ? "" : ` after ${expirationSeconds} s`;
  return (asArray(container.body.volumeMounts) ?? []).flatMap((entry, index) => {
    const mount = asObject(entry);
    const name = asString(mount?.name) ?? "";
    const mountPath = (asString(mount?.mountPath) ?? "").replace(/\/+$/, "");
    const subPath = asString(mount?.subPath) || asString(mount?.subPathExpr);
    const path = [...container.path, "volumeMounts", index];
    // v1.5 keeps a mount of its own volume name as the container wrote it.
    const webhookVolume = webhook.keepsExistingMount && name === ownVolumeName;
    if (subPath && (webhookVolume || projectsToken(volumes.get(name)))) {
      return [
        finding(workload, {
          id: "container",
          status: "fail",
          code: "ERR_TOKEN_SUBPATH",
          message: `mounts the token volume ${oneLine(name)} with subPath ${JSON.stringify(oneLine(subPath))}: kubelet never updates a subPath mount, so the token is not renewed and expires${lifetime}`,
          fix: `mount the volume's directory without subPath and read the token file inside it`,
          path,
        }),
      ];
    }
    if (webhookVolume && mountPath !== webhook.mountPath) {
      return [
        finding(workload, {
          id: "container",
          status: "fail",
          code: "ERR_TOKEN_MOUNT_MOVED",
          message: `mounts ${oneLine(name)} at ${oneLine(mountPath)}: webhook ${webhook.release} keeps that mount, so the token is not at ${webhook.tokenFile} (${AZURE_FEDERATED_TOKEN_FILE})`,
          fix: `remove this mount; the webhook mounts the volume at ${webhook.mountPath}`,
          path,
        }),
      ];
    }
    if (mountPath === webhook.mountPath && !webhookVolume) {
      return [
        finding(workload, {
          id: "container",
          status: "fail",
          code: "ERR_MOUNT_PATH_TAKEN",
          message: `mounts ${oneLine(name)} at ${webhook.mountPath}, where the webhook mounts the token: the API server refuses a container with two mounts at one path`,
          fix: `mount it elsewhere`,
          path,
        }),
      ];
    }
    return [];
  });
}

function projectsToken(volume: PlainObject | undefined): boolean {
  const sources = asArray(asObject(volume?.projected)?.sources) ?? [];
  return sources.some((source) => asObject(source)?.serviceAccountToken !== undefined);
}

/** One line: what the container gets from the webhook and what it keeps of its own. */
function summary(
  { settings }: WorkloadContext,
  env: EnvEntry[],
  values: Record<InjectedVariable, WebhookValue>,
  identityBinding: boolean,
): string {
  const own = new Set(env.map((e) => e.name));
  const gets: string[] = [];
  const keeps: string[] = [];
  const none: string[] = [];
  for (const name of INJECTED_VARIABLES) {
    if (own.has(name)) keeps.push(name);
    else if (values[name].kind === "none") none.push(name);
    else gets.push(name);
  }
  if (identityBinding) {
    for (const name of IDENTITY_BINDING_VARIABLES) {
      if (own.has(name)) keeps.push(name);
      // The CA comes as a file from the projected volume, or inline when the cluster is set up so.
      else if (name !== "AZURE_KUBERNETES_CA_DATA") gets.push(name);
    }
  }
  return [
    `gets ${gets.join(", ")}${identityBinding ? " (AZURE_KUBERNETES_CA_DATA instead of the file where the cluster inlines the CA)" : ""} and the token volume at ${settings.webhook.mountPath}`,
    ...(keeps.length > 0 ? [`keeps its own ${keeps.join(", ")}`] : []),
    ...(none.length > 0 ? [`no ${none.join(", ")} (empty on the service account)`] : []),
  ].join("; ");
}

function shown(name: string, value: string): string {
  return JSON.stringify(name === AZURE_AUTHORITY_HOST ? redactUrl(value) : oneLine(value));
}
