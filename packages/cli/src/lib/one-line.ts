// Values read from files or the environment, made safe to print on one line.
import { oneLine } from "@workload-identity/credential";

/** The credential's escaping, so the doctor and the credential print a value the same way. */
export { oneLine };

/** Any value as short, one-line text: strings as they are, everything else as JSON. */
export function show(value: unknown): string {
  if (typeof value === "string") return oneLine(value);
  if (value === undefined) return "(none)";
  return oneLine(JSON.stringify(value));
}
