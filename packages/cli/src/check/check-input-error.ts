// Input `check` cannot read: every problem found, each pointing at its file and line.
import { WorkloadIdentityCliError } from "../errors.js";
import { formatInputProblem, type InputProblem } from "./input/input-problem.js";

export class CheckInputError extends WorkloadIdentityCliError {
  readonly problems: readonly InputProblem[];

  constructor(problems: readonly InputProblem[]) {
    super("ERR_INPUT", problems.map(formatInputProblem).join("; "));
    this.name = "CheckInputError";
    this.problems = problems;
  }
}
