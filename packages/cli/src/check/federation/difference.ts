// Where a federated credential's value parts from the token's: the trailing slash, the case, the first character
// that differs. Entra compares issuer and subject exactly, character for character.

/** One line on how `credential` differs from `token`, or undefined when they are equal. */
export function describeDifference(credential: string, token: string): string | undefined {
  if (credential === token) return undefined;
  if (credential.trim() === token) return "has spaces around it";
  if (credential === `${token}/`) return `ends with "/", and the token's does not`;
  if (`${credential}/` === token) return `lacks the trailing "/" the token's has`;
  const at = firstDifference(credential, token);
  if (credential.toLowerCase() === token.toLowerCase()) {
    return `differs only in case, first at character ${at + 1} (${quote(credential[at])} where the token has ${quote(token[at])})`;
  }
  if (at === credential.length)
    return `stops after character ${at}, where the token's goes on with ${quote(token.slice(at))}`;
  if (at === token.length) return `goes on after the token's ends, with ${quote(credential.slice(at))}`;
  return `differs at character ${at + 1}: ${quote(credential[at])} where the token has ${quote(token[at])}`;
}

const SERVICE_ACCOUNT_SUBJECT = /^system:serviceaccount:([^:]*):([^:]*)$/;

/** A Kubernetes subject's namespace and account, when `subject` is one. */
export function serviceAccountOfSubject(subject: string): { namespace: string; name: string } | undefined {
  const match = SERVICE_ACCOUNT_SUBJECT.exec(subject);
  return match === null ? undefined : { namespace: match[1] ?? "", name: match[2] ?? "" };
}

/**
 * For two Kubernetes subjects, which part differs (namespace, account or both), with the character where a part
 * differs only slightly; else the plain character comparison.
 */
export function describeSubjectDifference(credential: string, token: string): string | undefined {
  const ours = serviceAccountOfSubject(credential);
  const theirs = serviceAccountOfSubject(token);
  if (ours === undefined || theirs === undefined || credential === token)
    return describeDifference(credential, token);
  const parts = (["namespace", "name"] as const).filter((part) => ours[part] !== theirs[part]);
  if (
    parts.length === 2 ||
    (ours.namespace.toLowerCase() === theirs.namespace.toLowerCase() &&
      ours.name.toLowerCase() === theirs.name.toLowerCase())
  ) {
    return describeDifference(credential, token);
  }
  const part = parts[0] ?? "name";
  const label = part === "name" ? "account" : "namespace";
  return `names ${label} ${quote(ours[part])} where the token's has ${quote(theirs[part])}`;
}

function firstDifference(a: string, b: string): number {
  let index = 0;
  while (index < a.length && index < b.length && a[index] === b[index]) index += 1;
  return index;
}

function quote(text: string | undefined): string {
  return JSON.stringify(text ?? "");
}

/** Levenshtein distance, to pick the credential closest to what the token presents. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      current[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
