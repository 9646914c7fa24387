// Measurement 7: the sample apps. Wall-clock from spawn to the first secret line of the Key Vault quickstart
// (ours) and of an equivalent script on @azure/identity; the sample images' sizes when podman has them.
import { join } from "node:path";
import { timeUntilOutput } from "../lib/child-process.mjs";
import { imageSizes } from "../lib/images.mjs";
import { REPO_DIR, srcPath } from "../lib/paths.mjs";
import { progress } from "../lib/progress.mjs";
import { median } from "../lib/stats.mjs";
import { formatMB, formatMs } from "../report/format.mjs";
import { cell, row } from "../report/row.mjs";

const SECRET_LINE = /"successfully got secret"/;
const IMAGES = ["workload-identity/keyvault-quickstart:dev", "workload-identity/graph-tenant-reader:dev"];

/** @param {{ options: import("../cli/options.mjs").Options, env: Record<string, string> }} context */
export async function measureSamples({ options, env }) {
  const programs = {
    ours: [join(REPO_DIR, "samples/keyvault-quickstart")],
    identity: [srcPath("apps/identity-quickstart.mjs")],
  };
  /** @type {Record<string, number[]>} */
  const runs = { ours: [], identity: [] };
  for (let round = 1; round <= options.rounds; round += 1) {
    progress(`Key Vault quickstart to first secret: round ${round}/${options.rounds}`);
    for (const [id, args] of Object.entries(programs))
      runs[id]?.push(await timeUntilOutput(args, env, SECRET_LINE));
  }
  const quickstart = row("Sample apps", "Key Vault quickstart: process start to first secret", (id) => {
    if (!(id in runs)) return undefined;
    const ms = median(runs[id] ?? []);
    return cell(ms, formatMs(ms));
  });
  quickstart.raw = runs;

  const rows = [quickstart];
  const notes = [];
  /** @type {Record<string, unknown>} */
  const images = {};
  for (const image of IMAGES) {
    progress(`image ${image}`);
    const sizes = await imageSizes(image);
    images[image] = sizes ?? "not built";
    rows.push(
      row("Sample apps", `image ${image}: size / app layer`, (id) =>
        id !== "ours"
          ? undefined
          : sizes === undefined
            ? cell(undefined, "not built")
            : cell(sizes.sizeBytes, `${formatMB(sizes.sizeBytes)} / ${formatMB(sizes.appLayerBytes)}`),
      ),
    );
    if (sizes?.base !== undefined && sizes.base.includes("standin")) {
      notes.push(
        `${image} was built on a local stand-in base (${sizes.base}), not the pinned distroless image: its total size is not the released image's; the app layer is.`,
      );
    }
  }
  return {
    rows,
    notes: [
      'The quickstart times are wall-clock from the parent\'s spawn to the first "successfully got secret" line: Node start-up, the Key Vault 401 challenge, the token exchange and the secret read. The @azure/identity script is bench/src/apps/identity-quickstart.mjs; msal-node alone has no Key Vault client.',
      ...notes,
    ],
    raw: { images },
  };
}
