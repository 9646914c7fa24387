// Kubelet's projected service-account token: written with the atomic writer, rotated at a fraction of its lifetime.
import { join } from "node:path";
import { writeAtomically } from "./atomic-writer.js";

export const TOKEN_FILE_NAME = "azure-identity-token";

export interface TokenProjectorOptions {
  directory: string;
  lifetimeSeconds: number;
  rotateAtFraction: number;
  mint: () => Promise<string>;
  onError?: (error: unknown) => void;
}

export class TokenProjector {
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private pending: Promise<void> = Promise.resolve();
  /** How many tokens have been written, the first included. */
  rotations = 0;

  constructor(private readonly options: TokenProjectorOptions) {}

  /** The path applications read (`AZURE_FEDERATED_TOKEN_FILE`). */
  get tokenFilePath(): string {
    return join(this.options.directory, TOKEN_FILE_NAME);
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
        await writeAtomically(this.options.directory, { [TOKEN_FILE_NAME]: token });
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

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
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
