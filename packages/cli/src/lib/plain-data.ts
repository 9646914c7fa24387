// Reading parsed YAML or JSON, whose shape nothing guarantees: each helper answers undefined for the wrong type.

export type PlainObject = Record<string, unknown>;

export function asObject(value: unknown): PlainObject | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as PlainObject)
    : undefined;
}

export function asArray(value: unknown): unknown[] | undefined {
  return Array.isArray(value) ? value : undefined;
}

export function asString(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** The value at `path` below `root`, through objects (string keys) and arrays (number keys). */
export function valueAt(root: unknown, path: readonly (string | number)[]): unknown {
  let current = root;
  for (const key of path) {
    if (typeof key === "number") current = asArray(current)?.[key];
    else current = asObject(current)?.[key];
    if (current === undefined) return undefined;
  }
  return current;
}
