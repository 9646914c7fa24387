// `workload-identity jwks`: the JWKS of PEM keys, on stdout or in --output-file.
import { writeFile } from "node:fs/promises";
import { WorkloadIdentityCliError } from "../errors.js";
import { buildJwksFromFiles, formatJwks } from "../jwks/build-jwks.js";
import { oneLine } from "../lib/one-line.js";
import type { CliIo } from "./io.js";
import { keyFiles, parseOptions, usageError } from "./parse-options.js";
import { JWKS_USAGE } from "./usage.js";

export async function jwksCommand(argv: string[], io: CliIo): Promise<number> {
  const values = parseOptions(argv, {
    "public-keys": { type: "string", multiple: true },
    "output-file": { type: "string" },
    help: { type: "boolean", short: "h", default: false },
  });
  if (values.help) {
    io.stdout(`${JWKS_USAGE}\n`);
    return 0;
  }
  const files = keyFiles(values["public-keys"]);
  const outputFile = values["output-file"];
  if (outputFile?.trim() === "") throw usageError("--output-file must not be empty.");

  const jwks = formatJwks(await buildJwksFromFiles(files));
  if (outputFile === undefined) {
    io.stdout(jwks);
    return 0;
  }
  try {
    await writeFile(outputFile, jwks, { mode: 0o644 });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new WorkloadIdentityCliError(
      "ERR_OUTPUT",
      `Cannot write ${oneLine(outputFile)} (${code}); choose a writable --output-file.`,
      { cause: error },
    );
  }
  io.stderr(`wrote ${oneLine(outputFile)}\n`);
  return 0;
}
