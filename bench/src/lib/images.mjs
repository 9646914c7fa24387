// A container image's size and its app layers' size, from podman; undefined when podman or the image is
// missing. App layers: the COPY into /app/ of the final stage (Dockerfile.samples), above the runtime base.
import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

/**
 * @param {string} image
 * @returns {Promise<{ image: string, sizeBytes: number, appLayerBytes: number, base: string | undefined } | undefined>}
 */
export async function imageSizes(image) {
  try {
    await run("podman", ["image", "exists", image]);
  } catch {
    return undefined;
  }
  const { stdout: size } = await run("podman", ["image", "inspect", "--format", "{{.Size}}", image]);
  const { stdout: historyJson } = await run("podman", ["history", "--format", "json", image]);
  /** @type {{ CreatedBy?: string, size?: number, comment?: string }[]} */
  const history = JSON.parse(historyJson);
  const appLayerBytes = history
    .filter((layer) => /\bCOPY\b.* in \/app\/?\s*$/.test(layer.CreatedBy ?? ""))
    .reduce((sum, layer) => sum + (layer.size ?? 0), 0);
  // The final stage's first step names its base: "FROM <image>" (later steps name layer ids).
  const base = history
    .map((layer) => /^FROM (\S+)$/.exec(layer.comment ?? "")?.[1])
    .find((name) => name !== undefined && !/^[0-9a-f]{12}$/.test(name));
  return { image, sizeBytes: Number(size.trim()), appLayerBytes, base };
}
