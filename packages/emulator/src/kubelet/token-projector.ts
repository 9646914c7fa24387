// Kubelet's projected volume holding the service-account token (and, for an identity-binding pod, the token
// proxy's CA): written with the atomic writer, the token rotated at a fraction of its lifetime.
import { join } from "node:path";
import { writeAtomically } from "./atomic-writer.js";

export const TOKEN_FILE_NAME = "azure-identity-token";

export interface TokenProjectorOptions {
  directory: string;
  /** The token's path inside the volume (default `azure-identity-token`). */
  tokenPath?: string;
  lifetimeSeconds: number;
  rotateAtFraction: number;
  mint: () => Promise<string>;
  /** Other files of the same volume, written in the same generation as the token (default: none). */
  extraFiles?: () => Record<string, string>;
  onError?: (error: unknown) => void;
}

export class TokenProjector {
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private pending: Promise<void> = Promise.resolve();
  private token: string | undefined;
  /** How many tokens have been written, the first included. */
  rotations = 0;

  constructor(private readonly options: TokenProjectorOptions) {}

  /** The path applications read (`AZURE_FEDERATED_TOKEN_FILE`). */
  get tokenFilePath(): string {
    return join(this.options.directory, this.tokenPath);
  }

  private get tokenPath(): string {
    return this.options.tokenPath ?? TOKEN_FILE_NAME;
  }

  get directory(): string {
    return this.options.directory;
  }

  /** Writes a fresh token now and schedules the next rotation. */
  rotate(): Promise<void> {
    // Serialised: two overlapping swaps would race on ..data_tmp.
    const next = this.pending.then(async () => {
      if (this.closed) return;
      try {
        const token = await this.options.mint();
        if (this.isClosed()) return; // closed while minting: the directory may already be gone
        await writeAtomically(this.options.directory, {
          [this.tokenPath]: token,
          ...this.options.extraFiles?.(),
        });
        this.token = token;
        this.rotations += 1;
        this.schedule(this.rotationDelayMs());
      } catch (error) {
        // Kubelet keeps trying too; the current token stays valid meanwhile.
        this.schedule(Math.min(5000, this.rotationDelayMs() / 10));
        throw error;
      }
    });
    // A failed rotation must not wedge the ones after it.
    this.pending = next.catch(() => undefined);
    return next;
  }

  /**
   * Writes a new generation with the current token and these other files, as kubelet does when another source of
   * the volume (the CA's ConfigMap) changes; `onSwap` runs the instant `..data` points at it. Queued behind any
   * rotation in progress; before the first rotation it mints the token.
   */
  republish(files: Record<string, string>, onSwap?: () => void): Promise<void> {
    const next = this.pending.then(async () => {
      if (this.closed) return;
      const token = this.token ?? (await this.options.mint());
      if (this.isClosed()) return;
      await writeAtomically(this.options.directory, { [this.tokenPath]: token, ...files }, 0o644, onSwap);
      this.token = token;
    });
    this.pending = next.catch(() => undefined);
    return next;
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
  }

  /** Settles when no write is in flight: one that started before close() finishes, so its directory can go. */
  settled(): Promise<void> {
    return this.pending;
  }

  /** A method, not the field: TypeScript would assume the field cannot change across an await. */
  private isClosed(): boolean {
    return this.closed;
  }

  private rotationDelayMs(): number {
    return this.options.lifetimeSeconds * this.options.rotateAtFraction * 1000;
  }

  private schedule(delayMs: number): void {
    if (this.closed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.rotate().catch((error: unknown) => this.options.onError?.(error));
    }, delayMs);
    this.timer.unref();
  }
}
