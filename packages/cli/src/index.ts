// Public surface of @workload-identity/cli: the doctor, the manifest check, JWKS and issuer documents as functions.
export { runDoctor } from "./doctor/run-doctor.js";
export { DEFAULT_SCOPE, DEFAULT_TIMEOUT_MS } from "./doctor/options.js";
export type { DoctorOptions } from "./doctor/options.js";
export type { CheckId, CheckResult, CheckStatus, DoctorReport } from "./doctor/types.js";
export type { CredentialFactory, ExchangeCredential } from "./doctor/checks/token-exchange.js";
export type { FetchJson } from "./doctor/fetch-json.js";
export { formatTextReport } from "./doctor/text-report.js";
export { formatJsonReport } from "./doctor/json-report.js";
export { runCheck } from "./check/run-check.js";
export type { CheckOutcome } from "./check/run-check.js";
export type { CheckOptions } from "./check/check-settings.js";
export { CheckInputError } from "./check/check-input-error.js";
export type { InputProblem } from "./check/input/input-problem.js";
export { formatCheckText } from "./check/report/text-report.js";
export { formatCheckJson } from "./check/report/json-report.js";
export { formatCheckGithub } from "./check/report/github-report.js";
export { FINDING_CODES } from "./check/report/types.js";
export type {
  CheckReport,
  Finding,
  FindingCode,
  FindingId,
  FindingStatus,
  WorkloadReport,
  WorkloadVerdict,
} from "./check/report/types.js";
export { buildJwks, buildJwksFromFiles, formatJwks } from "./jwks/build-jwks.js";
export type { Jwks } from "./jwks/build-jwks.js";
export { jwkOf } from "./jwks/jwk.js";
export type { SigningAlgorithm, SigningJwk } from "./jwks/jwk.js";
export { keyIdOf } from "./jwks/key-id.js";
export { publicKeysFromPem, readPublicKeyFiles } from "./jwks/read-public-keys.js";
export { writeIssuerDocs, DISCOVERY_PATH, JWKS_PATH } from "./issuer-docs/write-issuer-docs.js";
export type { IssuerDocs, IssuerDocsOptions } from "./issuer-docs/write-issuer-docs.js";
export { discoveryDocument } from "./issuer-docs/discovery-document.js";
export type { DiscoveryDocument } from "./issuer-docs/discovery-document.js";
export { parseIssuerUrl } from "./issuer-docs/issuer-url.js";
export type { IssuerUrl } from "./issuer-docs/issuer-url.js";
export { WorkloadIdentityCliError } from "./errors.js";
export type { CliErrorCode } from "./errors.js";
