import { mkdtemp, readdir, readFile, readlink, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { TOKEN_FILE_NAME, TokenProjector, type TokenProjectorOptions } from "./token-projector.js";

let root: string;
const projectors: TokenProjector[] = [];

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "token-projector-spec-"));
});

afterEach(async () => {
  for (const projector of projectors.splice(0)) projector.close();
  await rm(root, { recursive: true, force: true });
});

/** A mint that returns token-1, token-2, ... and remembers when it was called. */
function countingMint() {
  const calls: number[] = [];
  const mint = () => {
    calls.push(Date.now());
    return Promise.resolve(`token-${calls.length}`);
  };
  return { mint, calls };
}

function projector(
  options: Partial<TokenProjectorOptions> & Pick<TokenProjectorOptions, "mint">,
): TokenProjector {
  const created = new TokenProjector({
    directory: join(root, "serviceaccount"),
    // A day: nothing is rotated on a timer unless a test asks for a short lifetime.
    lifetimeSeconds: 86_400,
    rotateAtFraction: 0.8,
    ...options,
  });
  projectors.push(created);
  return created;
}

async function waitFor(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(5);
  }
}

describe("TokenProjector", () => {
  it("exposes the stable token path inside its directory", () => {
    const p = projector({ mint: countingMint().mint });

    expect(p.directory).toBe(join(root, "serviceaccount"));
    expect(p.tokenFilePath).toBe(join(root, "serviceaccount", TOKEN_FILE_NAME));
    expect(TOKEN_FILE_NAME).toBe("azure-identity-token");
  });

  it("writes the minted token through the ..data symlink and counts the rotation", async () => {
    const p = projector({ mint: countingMint().mint });

    await p.rotate();

    expect(p.rotations).toBe(1);
    expect(await readFile(p.tokenFilePath, "utf8")).toBe("token-1");
    expect(await readlink(p.tokenFilePath)).toBe(join("..data", TOKEN_FILE_NAME));
  });

  it("replaces the token on each rotation and counts every one", async () => {
    const p = projector({ mint: countingMint().mint });

    await p.rotate();
    await p.rotate();

    expect(p.rotations).toBe(2);
    expect(await readFile(p.tokenFilePath, "utf8")).toBe("token-2");
  });

  it("rotates again on its own after lifetimeSeconds * rotateAtFraction, and keeps doing so", async () => {
    const { mint, calls } = countingMint();
    // 2 s * 0.05 = 100 ms: well before the lifetime, so the fraction is what sets the pace.
    const p = projector({ mint, lifetimeSeconds: 2, rotateAtFraction: 0.05 });

    await p.rotate();
    const firstWrittenAt = Date.now();
    await waitFor(() => p.rotations >= 3, 1_500);

    expect(calls[1] ?? 0).toBeGreaterThanOrEqual(firstWrittenAt + 90);
    expect((calls[2] ?? 0) - (calls[1] ?? 0)).toBeGreaterThanOrEqual(90);
    expect(await readFile(p.tokenFilePath, "utf8")).toMatch(/^token-[3-9]$/);
  });

  it("restarts the countdown when rotated by hand", async () => {
    const { mint, calls } = countingMint();
    const p = projector({ mint, lifetimeSeconds: 1, rotateAtFraction: 0.4 }); // 400 ms

    await p.rotate();
    await sleep(50);
    await p.rotate();
    const secondWrittenAt = Date.now();
    await waitFor(() => p.rotations >= 3, 2_000);

    // Had the first countdown survived, the third rotation would come about 350 ms after the second.
    expect(calls[2] ?? 0).toBeGreaterThanOrEqual(secondWrittenAt + 380);
  });

  it("runs overlapping rotations one after another, leaving the last token and one generation", async () => {
    let inFlight = 0;
    let mostInFlight = 0;
    let minted = 0;
    const p = projector({
      mint: async () => {
        inFlight += 1;
        mostInFlight = Math.max(mostInFlight, inFlight);
        await sleep(5);
        inFlight -= 1;
        minted += 1;
        return `token-${minted}`;
      },
    });

    await Promise.all([p.rotate(), p.rotate(), p.rotate()]);

    expect(mostInFlight).toBe(1);
    expect(p.rotations).toBe(3);
    expect(await readFile(p.tokenFilePath, "utf8")).toBe("token-3");
    const entries = await readdir(p.directory);
    expect(entries.filter((name) => name.startsWith("..2"))).toHaveLength(1);
    expect(entries).not.toContain("..data_tmp");
  });

  it("rejects a rotation whose mint fails, writes nothing, and still performs the next rotation", async () => {
    let fail = true;
    const p = projector({
      mint: () =>
        fail ? Promise.reject(new Error("signing key unavailable")) : Promise.resolve("recovered"),
    });

    await expect(p.rotate()).rejects.toThrow("signing key unavailable");
    expect(p.rotations).toBe(0);
    await expect(readFile(p.tokenFilePath, "utf8")).rejects.toThrow(/ENOENT/);

    fail = false;
    await p.rotate();

    expect(p.rotations).toBe(1);
    expect(await readFile(p.tokenFilePath, "utf8")).toBe("recovered");
  });

  it("does not let a failed rotation queued between two others block the third", async () => {
    const outcomes = ["first", new Error("boom"), "third"];
    const p = projector({
      mint: () => {
        const next = outcomes.shift();
        return next instanceof Error ? Promise.reject(next) : Promise.resolve(next ?? "extra");
      },
    });

    const results = await Promise.allSettled([p.rotate(), p.rotate(), p.rotate()]);

    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(p.rotations).toBe(2);
    expect(await readFile(p.tokenFilePath, "utf8")).toBe("third");
  });

  it("reports a failed scheduled rotation to onError", async () => {
    const failure = new Error("mint failed on the timer");
    let calls = 0;
    const errors: unknown[] = [];
    const p = projector({
      mint: () => {
        calls += 1;
        return calls === 1 ? Promise.resolve("first") : Promise.reject(failure);
      },
      lifetimeSeconds: 1,
      rotateAtFraction: 0.05, // 50 ms
      onError: (error) => errors.push(error),
    });

    await p.rotate();
    await waitFor(() => errors.length > 0, 1_500);

    expect(errors[0]).toBe(failure);
    expect(p.rotations).toBe(1);
    expect(await readFile(p.tokenFilePath, "utf8")).toBe("first");
  });

  it("stops rotating on its own once closed", async () => {
    const { mint, calls } = countingMint();
    const p = projector({ mint, lifetimeSeconds: 1, rotateAtFraction: 0.05 }); // 50 ms

    await p.rotate();
    p.close();
    await sleep(250);

    expect(calls).toHaveLength(1);
    expect(p.rotations).toBe(1);
  });

  it("settles once the write in flight has finished, so a caller may then remove the directory", async () => {
    const { mint } = countingMint();
    const p = projector({ mint });

    void p.rotate(); // not awaited: a rotation already under way when the emulator closes
    await p.settled();

    expect(await readFile(p.tokenFilePath, "utf8")).toBe("token-1");
    expect(p.rotations).toBe(1);
  });

  it("ignores rotate() after close, leaving the last token in place", async () => {
    const { mint, calls } = countingMint();
    const p = projector({ mint });
    await p.rotate();

    p.close();
    await p.rotate();

    expect(calls).toHaveLength(1);
    expect(p.rotations).toBe(1);
    expect(await readFile(p.tokenFilePath, "utf8")).toBe("token-1");
  });
});

describe("failures and closing", () => {
  it("retries a scheduled rotation whose mint failed, instead of letting the token expire", async () => {
    let calls = 0;
    const created = projector({
      lifetimeSeconds: 0.5,
      rotateAtFraction: 0.5,
      mint: () => {
        calls += 1;
        return calls === 2 ? Promise.reject(new Error("mint failed")) : Promise.resolve(`token-${calls}`);
      },
      onError: () => undefined,
    });
    await created.rotate();
    await waitFor(() => created.rotations >= 2, 3_000);
    expect(calls).toBeGreaterThanOrEqual(3);
    expect(await readFile(created.tokenFilePath, "utf8")).toBe(`token-${calls}`);
  });

  it("does not write, nor schedule, a rotation whose mint finishes after close()", async () => {
    let release: (token: string) => void = () => undefined;
    const created = projector({ mint: () => new Promise<string>((resolve) => (release = resolve)) });
    const rotation = created.rotate();
    await sleep(20);
    created.close();
    release("late-token");
    await rotation;
    expect(created.rotations).toBe(0);
    await expect(readdir(join(root, "serviceaccount"))).rejects.toThrow(/ENOENT/);
  });
});

describe("a volume with more than the token (identity-binding pods)", () => {
  it("writes the token at its own path and the other files in the same generation", async () => {
    const p = projector({
      mint: countingMint().mint,
      tokenPath: "token/azure-identity-token",
      extraFiles: () => ({ "ca-cert/ca.crt": "ca-1" }),
    });

    await p.rotate();

    expect(p.tokenFilePath).toBe(join(root, "serviceaccount", "token", "azure-identity-token"));
    expect(await readFile(p.tokenFilePath, "utf8")).toBe("token-1");
    expect(await readFile(join(p.directory, "ca-cert", "ca.crt"), "utf8")).toBe("ca-1");
  });

  it("writes the current extra files at each rotation", async () => {
    let ca = "ca-1";
    const p = projector({ mint: countingMint().mint, extraFiles: () => ({ "ca.crt": ca }) });
    await p.rotate();

    ca = "ca-2";
    await p.rotate();

    expect(await readFile(join(p.directory, "ca.crt"), "utf8")).toBe("ca-2");
  });

  it("republishes other files with the same token, without minting or counting a rotation", async () => {
    const { mint, calls } = countingMint();
    const p = projector({ mint, extraFiles: () => ({ "ca.crt": "ca-1" }) });
    await p.rotate();
    const swapped: string[] = [];

    await p.republish({ "ca.crt": "ca-2" }, () => {
      swapped.push("swapped");
    });

    expect(calls).toHaveLength(1);
    expect(p.rotations).toBe(1);
    expect(swapped).toEqual(["swapped"]);
    expect(await readFile(p.tokenFilePath, "utf8")).toBe("token-1");
    expect(await readFile(join(p.directory, "ca.crt"), "utf8")).toBe("ca-2");
    expect((await readdir(p.directory)).filter((name) => name.startsWith("..2"))).toHaveLength(1);
  });

  it("queues a republish behind a rotation in progress, so the last write holds both the new token and file", async () => {
    let release: () => void = () => undefined;
    const p = projector({
      mint: () =>
        new Promise<string>((resolve) => {
          release = () => {
            resolve("slow-token");
          };
        }),
      extraFiles: () => ({ "ca.crt": "ca-1" }),
    });
    const rotation = p.rotate();
    const republish = p.republish({ "ca.crt": "ca-2" });
    await sleep(20);
    release();

    await Promise.all([rotation, republish]);

    expect(await readFile(p.tokenFilePath, "utf8")).toBe("slow-token");
    expect(await readFile(join(p.directory, "ca.crt"), "utf8")).toBe("ca-2");
  });
});
