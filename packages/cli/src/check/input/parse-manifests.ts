// Multi-document YAML to Kubernetes objects, as kubectl reads it: YAML 1.1 scalars (so `yes` and `on` are
// booleans, as in sigs.k8s.io/yaml), empty documents skipped, `kind: List` (kubectl get -o yaml) expanded.
import { LineCounter, parseAllDocuments, type Document } from "yaml";
import { oneLine } from "../../lib/one-line.js";
import { asArray, asObject, asString } from "../../lib/plain-data.js";
import type { InputProblem } from "./input-problem.js";
import { locate, type ManifestObject, type Path } from "./manifest-object.js";
import type { Source } from "./sources.js";

export function parseManifests(source: Source): { objects: ManifestObject[]; problems: InputProblem[] } {
  const lines = new LineCounter();
  const objects: ManifestObject[] = [];
  const problems: InputProblem[] = [];
  const at = (line: number, message: string, column?: number) =>
    problems.push({
      source: oneLine(source.name),
      line,
      ...(column === undefined ? {} : { column }),
      message,
    });

  for (const document of parseAllDocuments(source.text, { lineCounter: lines, version: "1.1" })) {
    const error = document.errors[0];
    if (error !== undefined) {
      const position = error.linePos?.[0];
      at(position?.line ?? 1, `YAML error: ${yamlMessage(error.message)}`, position?.col);
      continue;
    }
    let data: unknown;
    try {
      data = document.toJS({ maxAliasCount: 100 });
    } catch (cause) {
      at(locate(document, lines, []).line, `YAML error: ${yamlMessage((cause as Error).message)}`);
      continue;
    }
    if (data === null || data === undefined) continue; // an empty document, such as a template that rendered nothing
    read(document, data, []);
  }
  if (objects.length === 0 && problems.length === 0 && source.named) {
    at(1, "no Kubernetes objects: the input is empty");
  }
  return { objects, problems };

  function read(document: Document, data: unknown, base: Path): void {
    const located = locate(document, lines, base);
    const body = asObject(data);
    if (body === undefined) {
      at(located.line, `not a Kubernetes object: the document is ${describe(data)}, not a mapping`);
      return;
    }
    const kind = body.kind;
    if (kind === undefined) {
      at(located.line, "the document has no kind: every Kubernetes object needs apiVersion and kind");
      return;
    }
    if (typeof kind !== "string" || kind.trim() === "") {
      at(located.lineOf(["kind"]), `kind must be a non-empty string, not ${describe(kind)}`);
      return;
    }
    const apiVersion = asString(body.apiVersion);
    if (apiVersion === undefined || apiVersion.trim() === "") {
      at(
        located.line,
        `the ${oneLine(kind)} has no apiVersion: every Kubernetes object needs apiVersion and kind`,
      );
      return;
    }
    const items = asArray(body.items);
    if (kind.endsWith("List") && items !== undefined) {
      items.forEach((item, index) => {
        read(document, item, [...base, "items", index]);
      });
      return;
    }
    objects.push({
      source: source.name,
      file: source.file,
      apiVersion,
      kind,
      body,
      ...located,
    });
  }
}

/** The first line of the YAML library's message, without its own "at line L, column C" (the prefix says where). */
function yamlMessage(message: string): string {
  const first = message.split("\n")[0] ?? message;
  return first.replace(/ at line \d+, column \d+:?$/, "").trim();
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return "a sequence";
  if (value === null) return "null";
  return `a ${typeof value} (${oneLine(JSON.stringify(value))})`;
}
