// Where the exchange gets its client assertion: a supplier it calls at every exchange (azidentity's
// GetFederatedToken, google-auth-library's SubjectTokenSupplier). The default reads the projected token file,
// never cached, because kubelet rotates it.
import { readTokenFile } from "./read-token-file.js";

export type AssertionSupplier = () => Promise<string>;

export function tokenFileSupplier(path: string): AssertionSupplier {
  return () => readTokenFile(path);
}
