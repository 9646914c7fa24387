// The token-proxy fixtures (tls/README.md): a CA, the server certificate it signed for SERVER_NAME, an expired
// one for the same name and key, and a CA that signed nothing here.
import { readFileSync } from "node:fs";
import { join } from "node:path";

export const TLS_DIR = join(__dirname, "tls");
export const SERVER_NAME = "proxy.identity-binding.test";

const read = (name: string) => readFileSync(join(TLS_DIR, name), "utf8");

export const CA_PATH = join(TLS_DIR, "ca.pem");
export const CA = read("ca.pem");
export const OTHER_CA = read("other-ca.pem");
export const SERVER_CERT = read("server.pem");
export const SERVER_KEY = read("server-key.pem");
export const EXPIRED_SERVER_CERT = read("expired-server.pem");
