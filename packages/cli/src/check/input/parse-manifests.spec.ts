import { parseManifests } from "./parse-manifests.js";
import type { Source } from "./sources.js";

const source = (text: string, named = true): Source => ({
  name: "deploy/app.yaml",
  text,
  named,
  file: "deploy/app.yaml",
});

describe("parseManifests", () => {
  it("reads every document of a multi-document file, skipping empty ones, each with the line it starts on", () => {
    const { objects, problems } = parseManifests(
      source(
        [
          "# Source: chart/templates/a.yaml",
          "---",
          "apiVersion: v1",
          "kind: ConfigMap",
          "metadata: { name: a }",
          "---",
          "# Source: chart/templates/empty.yaml",
          "---",
          "apiVersion: apps/v1",
          "kind: Deployment",
          "metadata:",
          "  name: b",
        ].join("\n"),
      ),
    );

    expect(problems).toEqual([]);
    expect(objects.map((o) => [o.kind, o.line])).toEqual([
      ["ConfigMap", 3],
      ["Deployment", 9],
    ]);
    expect(objects[1]?.lineOf(["metadata", "name"])).toBe(12);
    // The deepest part that exists: metadata is there, its labels are not.
    expect(objects[1]?.lineOf(["metadata", "labels", "x"])).toBe(11);
  });

  it("reads YAML 1.1 scalars as kubectl does: yes and on are booleans, and how they were written is kept", () => {
    const { objects } = parseManifests(
      source('apiVersion: v1\nkind: Pod\nmetadata:\n  labels:\n    a: yes\n    b: on\n    c: "true"\n'),
    );
    const labels = (objects[0]?.body.metadata as { labels: Record<string, unknown> }).labels;

    expect(labels).toEqual({ a: true, b: true, c: "true" });
    expect(objects[0]?.writtenAs(["metadata", "labels", "a"])).toBe("yes");
  });

  it("expands a List (kubectl get -o yaml), each item with its own lines", () => {
    const { objects } = parseManifests(
      source(
        "apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Pod\n    metadata: { name: a }\n  - apiVersion: v1\n    kind: Service\n    metadata: { name: b }\n",
      ),
    );

    expect(objects.map((o) => [o.kind, o.line])).toEqual([
      ["Pod", 4],
      ["Service", 7],
    ]);
  });

  it.each([
    [
      "bad YAML, with its line and column",
      "kind: Pod\nmetadata: [a\n",
      { line: 3, message: expect.stringMatching(/^YAML error: /) },
    ],
    [
      "a duplicated key",
      "apiVersion: v1\nkind: Pod\nkind: Service\n",
      { line: 3, message: "YAML error: Map keys must be unique" },
    ],
    [
      "a document without kind",
      "apiVersion: v1\nmetadata: { name: a }\n",
      { line: 1, message: expect.stringContaining("has no kind") },
    ],
    [
      "a kind that is not a string",
      "apiVersion: v1\nkind: 3\n",
      { line: 2, message: "kind must be a non-empty string, not a number (3)" },
    ],
    [
      "an object without apiVersion",
      "kind: Pod\n",
      { line: 1, message: expect.stringContaining("the Pod has no apiVersion") },
    ],
    [
      "a document that is a sequence",
      "- a\n- b\n",
      { line: 1, message: expect.stringContaining("not a Kubernetes object: the document is a sequence") },
    ],
    ["an empty file", "# nothing here\n", { line: 1, message: "no Kubernetes objects: the input is empty" }],
  ])("reports %s as a problem of the file", (_case, text, problem) => {
    const { objects, problems } = parseManifests(source(text));

    expect(objects).toEqual([]);
    expect(problems).toEqual([expect.objectContaining({ source: "deploy/app.yaml", ...problem })]);
  });

  it("goes on after a bad document, reporting each", () => {
    const { objects, problems } = parseManifests(
      source(
        "apiVersion: v1\nkind: Pod\n---\nmetadata: {}\n---\napiVersion: v1\nkind: Service\n---\nfoo: [\n",
      ),
    );

    expect(objects.map((o) => o.kind)).toEqual(["Pod", "Service"]);
    expect(problems.map((p) => p.line)).toEqual([4, 10]);
  });

  it("lets an empty file found in a directory pass (a template that rendered nothing)", () => {
    expect(parseManifests(source("", false))).toEqual({ objects: [], problems: [] });
  });
});
