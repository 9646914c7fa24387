// Installs podman, runc and a static busybox from Debian when this machine lacks them (CI starts from scratch).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

export const BUSYBOX = "/bin/busybox";
const PACKAGES = ["podman", "runc", "busybox-static"];

function onPath(command) {
  return spawnSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" }).status === 0;
}

function isStatic(binary) {
  const ldd = spawnSync("ldd", [binary], { encoding: "utf8" });
  return `${ldd.stdout}${ldd.stderr}`.includes("not a dynamic executable");
}

export function missingTools() {
  const missing = [];
  if (!onPath("podman")) missing.push("podman");
  if (!onPath("runc")) missing.push("runc");
  if (!existsSync(BUSYBOX) || !isStatic(BUSYBOX)) missing.push("busybox-static");
  return missing;
}

/** Returns the packages it installed; throws when they are missing and cannot be installed. */
export function ensureTools() {
  const missing = missingTools();
  if (missing.length === 0) return [];
  if (process.getuid?.() !== 0) {
    throw new Error(
      `missing ${missing.join(", ")}: run as root, or apt-get install -y ${PACKAGES.join(" ")}`,
    );
  }
  const apt = (args) => {
    const result = spawnSync("apt-get", args, {
      stdio: "inherit",
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    });
    if (result.status !== 0) throw new Error(`apt-get ${args.join(" ")} exited ${result.status}`);
  };
  apt(["update"]);
  apt(["install", "-y", ...PACKAGES]);
  const still = missingTools();
  if (still.length > 0) throw new Error(`still missing after apt-get install: ${still.join(", ")}`);
  return missing;
}
