// Writes a self-managed issuer's two documents, laid out as they must be served under the issuer URL.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { WorkloadIdentityCliError } from "../errors.js";
import { buildJwksFromFiles, formatJwks, type Jwks } from "../jwks/build-jwks.js";
import { oneLine } from "../lib/one-line.js";
import { discoveryDocument, type DiscoveryDocument } from "./discovery-document.js";
import { parseIssuerUrl } from "./issuer-url.js";

export const DISCOVERY_PATH = ".well-known/openid-configuration";
export const JWKS_PATH = "openid/v1/jwks";

export interface IssuerDocsOptions {
  issuerUrl: string;
  publicKeyFiles: readonly string[];
  outputDir: string;
}

export interface IssuerDocs {
  discovery: DiscoveryDocument;
  jwks: Jwks;
  /** The files written, discovery document first. */
  files: string[];
  /** Problems that did not stop the documents from being written (an http issuer). */
  warnings: string[];
}

export async function writeIssuerDocs(options: IssuerDocsOptions): Promise<IssuerDocs> {
  const issuerUrl = parseIssuerUrl(options.issuerUrl);
  if (options.publicKeyFiles.length === 0) {
    throw new WorkloadIdentityCliError(
      "ERR_USAGE",
      "No public key given; pass --public-keys FILE (repeatable).",
    );
  }
  const jwks = await buildJwksFromFiles(options.publicKeyFiles);
  const discovery = discoveryDocument(issuerUrl, jwks);
  const files = [join(options.outputDir, DISCOVERY_PATH), join(options.outputDir, JWKS_PATH)];
  const [discoveryFile = "", jwksFile = ""] = files;
  try {
    await mkdir(join(options.outputDir, ".well-known"), { recursive: true });
    await mkdir(join(options.outputDir, "openid", "v1"), { recursive: true });
    await writeFile(discoveryFile, `${JSON.stringify(discovery, null, 2)}\n`, { mode: 0o644 });
    await writeFile(jwksFile, formatJwks(jwks), { mode: 0o644 });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new WorkloadIdentityCliError(
      "ERR_OUTPUT",
      `Cannot write the issuer documents under ${oneLine(options.outputDir)} (${code}); choose a writable --output-dir.`,
      { cause: error },
    );
  }
  return { discovery, jwks, files, warnings: issuerUrl.warnings };
}
