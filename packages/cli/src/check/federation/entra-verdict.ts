// Entra's verdict on a token presented against an identity's federated credentials, by the rules the emulator
// reproduces (docs/design-decisions.md, "The emulated Entra token endpoint"; packages/emulator/src/entra/
// assertion-validator.ts): the issuer exactly, then the subject exactly (case-sensitive since August 2024), then
// the audience. This repository keeps the two apart: this is the CLI's own reading of the same evidence.
import type { FederatedCredential } from "./credential-list.js";
import {
  describeDifference,
  describeSubjectDifference,
  editDistance,
  serviceAccountOfSubject,
} from "./difference.js";

export interface Presented {
  /** Undefined when --issuer was not given: only subject and audience can be judged. */
  issuer: string | undefined;
  subject: string;
  audience: string;
}

export type Claim = "issuer" | "subject" | "audience";

/**
 * The per-claim codes (700211 issuer, 700212 audience, 700213 subject, 7002138 a subject equal but for case) and
 * 70021, the older single code for any mismatch; 70025 when the identity has no federated credential at all.
 */
export const AADSTS = {
  noCredentials: 70025,
  mismatch: 70021,
  issuer: 700211,
  audience: 700212,
  subject: 700213,
  subjectCase: 7002138,
} as const;

export interface ClaimDifference {
  claim: Claim;
  credential: string;
  presented: string;
  /** How the credential's value differs, on one line. */
  difference: string;
}

export type Verdict =
  | { kind: "match"; credential: FederatedCredential }
  /** Subject and audience match, the issuer was not given. */
  | { kind: "issuer-unknown"; credential: FederatedCredential }
  | {
      kind: "mismatch";
      /** The first claim no credential matches, in Entra's order. */
      claim: Claim;
      /** The per-claim code first, then 70021. */
      codes: number[];
      closest: { credential: FederatedCredential; differences: ClaimDifference[] } | undefined;
    }
  | { kind: "no-credentials"; codes: number[] };

export function entraVerdict(presented: Presented, credentials: readonly FederatedCredential[]): Verdict {
  if (credentials.length === 0) return { kind: "no-credentials", codes: [AADSTS.noCredentials] };
  const judged =
    presented.issuer === undefined ? credentials : credentials.filter((c) => c.issuer === presented.issuer);
  const sameSubject = judged.filter((c) => c.subject === presented.subject);
  const match = sameSubject.find((c) => c.audiences.includes(presented.audience));
  if (match !== undefined) {
    return presented.issuer === undefined
      ? { kind: "issuer-unknown", credential: match }
      : { kind: "match", credential: match };
  }
  const claim: Claim = judged.length === 0 ? "issuer" : sameSubject.length === 0 ? "subject" : "audience";
  const caseOnly =
    claim === "subject" && judged.some((c) => c.subject?.toLowerCase() === presented.subject.toLowerCase());
  const code = claim === "subject" ? (caseOnly ? AADSTS.subjectCase : AADSTS.subject) : AADSTS[claim];
  return {
    kind: "mismatch",
    claim,
    codes: [code, AADSTS.mismatch],
    closest: closest(presented, credentials),
  };
}

/** The credential with the most matching claims, then the fewest characters to change. */
function closest(
  presented: Presented,
  credentials: readonly FederatedCredential[],
): { credential: FederatedCredential; differences: ClaimDifference[] } | undefined {
  let best: { credential: FederatedCredential; differences: ClaimDifference[]; score: number } | undefined;
  for (const credential of credentials) {
    const differences = differencesOf(presented, credential);
    const distance = differences.reduce((sum, d) => sum + editDistance(d.credential, d.presented), 0);
    const score =
      (3 - differences.length) * 100_000 -
      subjectPenalty(credential.subject, presented.subject) * 1_000 -
      distance;
    if (best === undefined || score > best.score) best = { credential, differences, score };
  }
  return best && { credential: best.credential, differences: best.differences };
}

function differencesOf(presented: Presented, credential: FederatedCredential): ClaimDifference[] {
  const found: ClaimDifference[] = [];
  const compare = (claim: Claim, ours: string | undefined, theirs: string) => {
    const difference = (claim === "subject" ? describeSubjectDifference : describeDifference)(
      ours ?? "",
      theirs,
    );
    if (difference !== undefined)
      found.push({ claim, credential: ours ?? "", presented: theirs, difference });
  };
  if (presented.issuer !== undefined) compare("issuer", credential.issuer, presented.issuer);
  compare("subject", credential.subject, presented.subject);
  if (!credential.audiences.includes(presented.audience)) {
    const nearest = [...credential.audiences].sort(
      (a, b) => editDistance(a, presented.audience) - editDistance(b, presented.audience),
    )[0];
    if (nearest === undefined) {
      found.push({
        claim: "audience",
        credential: "",
        presented: presented.audience,
        difference: "has no audience",
      });
    } else {
      compare("audience", nearest, presented.audience);
    }
  }
  return found;
}

/**
 * Between Kubernetes subjects, another account name weighs more than another namespace: a credential for the
 * same account in the wrong namespace is the likelier intent than another application's credential.
 */
function subjectPenalty(credential: string | undefined, token: string): number {
  const ours = serviceAccountOfSubject(credential ?? "");
  const theirs = serviceAccountOfSubject(token);
  if (ours === undefined || theirs === undefined) return 0;
  return (ours.name === theirs.name ? 0 : 2) + (ours.namespace === theirs.namespace ? 0 : 1);
}
