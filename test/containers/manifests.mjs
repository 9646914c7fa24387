// What the deploy manifests ask of the tool images: the few fields the images must agree with, read from the
// parsed YAML. Throws when a manifest lacks the object or the field.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";

function objects(repoDir, path) {
  return parseAllDocuments(readFileSync(join(repoDir, path), "utf8")).map((document) => {
    if (document.errors.length > 0) throw new Error(`${path}: ${document.errors[0].message}`);
    return document.toJS();
  });
}

function container(repoDir, path, kind, podSpecOf, name) {
  const object = objects(repoDir, path).find((o) => o?.kind === kind);
  const spec = object && podSpecOf(object);
  const found = spec?.containers?.find((c) => c.name === name);
  if (found === undefined) throw new Error(`${path}: no ${kind} with a container ${name}`);
  const runAsUser = found.securityContext?.runAsUser ?? spec.securityContext?.runAsUser;
  if (!Number.isInteger(runAsUser)) throw new Error(`${path}: container ${name} has no runAsUser`);
  if (!Array.isArray(found.args)) throw new Error(`${path}: container ${name} has no args`);
  return { container: found, runAsUser };
}

/** The doctor Job's container `args` and `runAsUser` (packages/cli/deploy/doctor-job.yaml). */
export function doctorJob(repoDir) {
  const path = "packages/cli/deploy/doctor-job.yaml";
  const { container: doctor, runAsUser } = container(
    repoDir,
    path,
    "Job",
    (j) => j.spec?.template?.spec,
    "doctor",
  );
  return { args: doctor.args, runAsUser };
}

/** The proxy container's `args`, postStart `command` and `runAsUser` (packages/imds-proxy/deploy/sidecar-pod.yaml). */
export function imdsProxySidecar(repoDir) {
  const path = "packages/imds-proxy/deploy/sidecar-pod.yaml";
  const { container: proxy, runAsUser } = container(repoDir, path, "Pod", (p) => p.spec, "imds-proxy");
  const postStart = proxy.lifecycle?.postStart?.exec?.command;
  if (!Array.isArray(postStart))
    throw new Error(`${path}: the imds-proxy container has no postStart command`);
  return { args: proxy.args, postStart, runAsUser };
}
