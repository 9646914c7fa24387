// One Kubernetes object read from YAML: its plain data, and where in the file each part of it was written.
import { isMap, isScalar, isSeq, type Document, type LineCounter } from "yaml";
import type { PlainObject } from "../../lib/plain-data.js";

export type Path = readonly (string | number)[];

export interface ManifestObject {
  /** The file as given or found, or "(stdin)". */
  source: string;
  /** The path for CI annotations; undefined for stdin. */
  file: string | undefined;
  apiVersion: string;
  kind: string;
  body: PlainObject;
  /** The line of the object's first key. */
  line: number;
  /** The line of the deepest part of `path` (below this object) that exists in the file. */
  lineOf(path: Path): number;
  /** How a scalar at `path` was written (`yes`, `true`, `"true"`), when it is one. */
  writtenAs(path: Path): string | undefined;
}

/** Line lookups for an object at `base` inside a parsed YAML document (`[]`, or `["items", 3]` in a List). */
export function locate(
  document: Document,
  lines: LineCounter,
  base: Path,
): Pick<ManifestObject, "line" | "lineOf" | "writtenAs"> {
  const lineAt = (offset: number | undefined) => (offset === undefined ? 1 : lines.linePos(offset).line);
  const walk = (path: Path) => {
    let node: unknown = document.contents;
    let offset = rangeStart(node);
    let complete = true;
    for (const key of [...base, ...path]) {
      if (isMap(node)) {
        const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(key));
        if (pair === undefined) {
          complete = false;
          break;
        }
        offset = rangeStart(pair.key) ?? offset;
        node = pair.value;
      } else if (isSeq(node) && typeof key === "number" && node.items[key] !== undefined) {
        node = node.items[key];
        offset = rangeStart(node) ?? offset;
      } else {
        complete = false;
        break;
      }
    }
    return { node: complete ? node : undefined, offset };
  };
  return {
    line: lineAt(walk([]).offset),
    lineOf: (path) => lineAt(walk(path).offset),
    writtenAs: (path) => {
      const { node } = walk(path);
      return isScalar(node) ? node.source : undefined;
    },
  };
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
  return range?.[0];
}
