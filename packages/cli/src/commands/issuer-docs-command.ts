// `workload-identity issuer-docs`: writes a self-managed issuer's discovery document and JWKS.
import { writeIssuerDocs } from "../issuer-docs/write-issuer-docs.js";
import { oneLine } from "../lib/one-line.js";
import type { CliIo } from "./io.js";
import { keyFiles, parseOptions, requireOption } from "./parse-options.js";
import { ISSUER_DOCS_USAGE } from "./usage.js";

export async function issuerDocsCommand(argv: string[], io: CliIo): Promise<number> {
  const values = parseOptions(argv, {
    "issuer-url": { type: "string" },
    "public-keys": { type: "string", multiple: true },
    "output-dir": { type: "string" },
    help: { type: "boolean", short: "h", default: false },
  });
  if (values.help) {
    io.stdout(`${ISSUER_DOCS_USAGE}\n`);
    return 0;
  }
  const issuerUrl = requireOption("issuer-url", values["issuer-url"]);
  const publicKeyFiles = keyFiles(values["public-keys"]);
  const outputDir = requireOption("output-dir", values["output-dir"]);

  const docs = await writeIssuerDocs({ issuerUrl, publicKeyFiles, outputDir });
  for (const warning of docs.warnings) io.stderr(`workload-identity issuer-docs: warning: ${warning}\n`);
  for (const file of docs.files) io.stdout(`wrote ${oneLine(file)}\n`);
  io.stdout(
    `Serve them at ${oneLine(docs.discovery.issuer.replace(/\/+$/, ""))}/.well-known/openid-configuration and ${oneLine(docs.discovery.jwks_uri)}.\n`,
  );
  return 0;
}
