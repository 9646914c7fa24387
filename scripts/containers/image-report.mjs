// Measures an image: its size, and the layers the Dockerfile added on top of its base (podman history).
import { podmanOk } from "./podman.mjs";

async function history(reference) {
  const { stdout } = await podmanOk(["history", "--human=false", "--format", "json", reference]);
  return JSON.parse(stdout); // newest first: { CreatedBy, size, ... }
}

/** { bytes, baseBytes, layers: [{ createdBy, bytes }] } for the non-empty layers above the base image. */
export async function imageReport(reference, baseReference) {
  const [{ stdout: size }, own, base] = await Promise.all([
    podmanOk(["image", "inspect", "--format", "{{.Size}}", reference]),
    history(reference),
    history(baseReference),
  ]);
  const added = own.slice(0, own.length - base.length);
  return {
    bytes: Number(size.trim()),
    baseBytes: base.reduce((sum, entry) => sum + entry.size, 0),
    layers: added
      .filter((entry) => entry.size > 0)
      .map((entry) => ({
        createdBy: entry.CreatedBy.replace("/bin/sh -c #(nop) ", "").trim(),
        bytes: entry.size,
      })),
  };
}

export function megabytes(bytes) {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}
