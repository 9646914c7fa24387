// Why an input cannot be checked, pointing at the file and line: bad YAML, a document without kind, no objects.

export interface InputProblem {
  /** The path as given or found, or "(stdin)". */
  source: string;
  line?: number;
  column?: number;
  message: string;
}

/** "deploy/app.yaml:12:3: message", one line. */
export function formatInputProblem(problem: InputProblem): string {
  const where = [
    problem.source,
    ...(problem.line === undefined ? [] : [String(problem.line)]),
    ...(problem.line !== undefined && problem.column !== undefined ? [String(problem.column)] : []),
  ].join(":");
  return `${where}: ${problem.message.replace(/\s+/g, " ").trim()}`;
}
