// What the deploy manifests ask of the tool images, read from their YAML by pattern (the repository has no
// YAML parser, and these few fields are all the images must agree with). Throws when a field is not found.
import { readFileSync } from "node:fs";
import { join } from "node:path";

function read(repoDir, path) {
  return readFileSync(join(repoDir, path), "utf8");
}

function find(text, pattern, what) {
  const match = pattern.exec(text);
  if (match === null) throw new Error(`${what} not found (${pattern})`);
  return match[1];
}

/** The doctor Job's container `args` and `runAsUser` (packages/cli/deploy/doctor-job.yaml). */
export function doctorJob(repoDir) {
  const text = read(repoDir, "packages/cli/deploy/doctor-job.yaml");
  return {
    args: JSON.parse(find(text, /^\s+args: (\[.*\])\s*$/m, "doctor-job.yaml: the container's args")),
    runAsUser: Number(find(text, /^\s+runAsUser: (\d+)/m, "doctor-job.yaml: runAsUser")),
  };
}

/** The proxy container's `args`, postStart `command` and `runAsUser` (packages/imds-proxy/deploy/sidecar-pod.yaml). */
export function imdsProxySidecar(repoDir) {
  const text = read(repoDir, "packages/imds-proxy/deploy/sidecar-pod.yaml");
  const container = find(
    text,
    /^\s+- name: imds-proxy\n([\s\S]*?)^\s+- name: /m,
    "sidecar-pod.yaml: imds-proxy",
  );
  const command = find(
    container,
    /postStart:\s+exec:[\s\S]*?command:\n((?:\s+- .*\n)+)/,
    "its postStart command",
  );
  return {
    args: JSON.parse(find(container, /^\s+args: (\[.*\])\s*$/m, "sidecar-pod.yaml: the proxy's args")),
    postStart: [...command.matchAll(/^\s+- (.*)$/gm)].map((m) => m[1].trim()),
    runAsUser: Number(find(container, /^\s+runAsUser: (\d+)/m, "sidecar-pod.yaml: the proxy's runAsUser")),
  };
}
