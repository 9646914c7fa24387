// Assembles root filesystems from this machine's files: a binary with the libraries ldd lists, accounts, CAs.
import { spawn, spawnSync } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { podmanOk } from "./podman.mjs";

/** The absolute paths of the shared libraries (and the loader) a dynamic executable needs; none if static. */
export function sharedLibraries(binary) {
  const ldd = spawnSync("ldd", [binary], { encoding: "utf8" });
  if (`${ldd.stdout}${ldd.stderr}`.includes("not a dynamic executable")) return [];
  if (ldd.status !== 0) throw new Error(`ldd ${binary} exited ${ldd.status}: ${ldd.stderr.trim()}`);
  const libraries = [];
  for (const line of ldd.stdout.split("\n")) {
    // "libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x...)" or "/lib64/ld-linux-x86-64.so.2 (0x...)"
    const match = /(?:=>\s*)?(\/\S+)\s+\(0x/.exec(line);
    if (match?.[1]) libraries.push(match[1]);
    else if (line.includes("not found")) throw new Error(`ldd ${binary}: ${line.trim()}`);
  }
  return libraries;
}

/** Copies a file into the root filesystem at `target` (absolute inside it), following symlinks. */
export function install(rootfs, source, target, mode) {
  const destination = join(rootfs, target);
  mkdirSync(dirname(destination), { recursive: true });
  copyFileSync(source, destination);
  if (mode !== undefined) chmodSync(destination, mode);
}

/** Copies an executable and every library it loads, each at the path the loader looks for it. */
export function installExecutable(rootfs, source, target) {
  install(rootfs, source, target, 0o755);
  for (const library of sharedLibraries(source)) {
    if (!existsSync(join(rootfs, library))) install(rootfs, library, library, 0o755);
  }
}

/** root, nobody and distroless's nonroot (65532), which Kubernetes runAsNonRoot images use. */
export function writeAccounts(rootfs) {
  mkdirSync(join(rootfs, "etc"), { recursive: true });
  writeFileSync(
    join(rootfs, "etc/passwd"),
    "root:x:0:0:root:/root:/sbin/nologin\n" +
      "nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n" +
      "nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n",
  );
  writeFileSync(join(rootfs, "etc/group"), "root:x:0:\nnobody:x:65534:\nnonroot:x:65532:\n");
  writeFileSync(join(rootfs, "etc/nsswitch.conf"), "passwd: files\ngroup: files\nhosts: files dns\n");
  for (const [dir, mode, owner] of [
    ["root", 0o700, 0],
    ["home/nonroot", 0o700, 65532],
    ["tmp", 0o1777, 0],
  ]) {
    mkdirSync(join(rootfs, dir), { recursive: true });
    chmodSync(join(rootfs, dir), mode);
    spawnSync("chown", [`${owner}:${owner}`, join(rootfs, dir)]);
  }
}

/**
 * Debian's public CA bundle, without this machine's local additions (its TLS-intercepting CA among them), so
 * a build reaches the registry only through the CA the build secret hands it, as it would on a real base.
 */
export function writeCaBundle(rootfs) {
  const mozilla = "/usr/share/ca-certificates/mozilla";
  const bundle = existsSync(mozilla)
    ? readdirSync(mozilla)
        .filter((name) => name.endsWith(".crt"))
        .sort()
        .map((name) => readFileSync(join(mozilla, name), "utf8").trim() + "\n")
        .join("")
    : readFileSync("/etc/ssl/certs/ca-certificates.crt", "utf8");
  mkdirSync(join(rootfs, "etc/ssl/certs"), { recursive: true });
  writeFileSync(join(rootfs, "etc/ssl/certs/ca-certificates.crt"), bundle);
}

/** `tar -C rootfs -c . | podman import --change ... - tag`. */
export async function importRootfs(rootfs, tag, changes) {
  chmodSync(rootfs, 0o755); // the archive's "." is the container's "/": a 0700 temp dir would lock out 65532
  const tar = spawn("tar", ["-C", rootfs, "--numeric-owner", "--sort=name", "-cf", "-", "."], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const tarExit = new Promise((resolve) => tar.on("close", resolve));
  const args = ["import", ...changes.flatMap((change) => ["--change", change]), "-", tag];
  await podmanOk(args, { input: tar.stdout });
  const code = await tarExit;
  if (code !== 0) throw new Error(`tar of ${rootfs} exited ${code}`);
}
