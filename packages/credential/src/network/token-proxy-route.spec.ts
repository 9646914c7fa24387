import { once } from "node:events";
import { readFileSync } from "node:fs";
import { mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TokenProxyConfig } from "../config/token-proxy.js";
import type { Log } from "../log.js";
import { TokenProxyRoute } from "./token-proxy-route.js";
import { errorCode, exchange } from "./transport.js";

// ca.pem signed server.pem for proxy.identity-binding.test; other-ca.pem signed nothing here (test-support/tls).
const TLS_DIR = join(__dirname, "../test-support/tls");
const CA = readFileSync(join(TLS_DIR, "ca.pem"), "utf8");
const OTHER_CA = readFileSync(join(TLS_DIR, "other-ca.pem"), "utf8");
const SNI = "proxy.identity-binding.test";

let server: Server;
let origin: string;
let dir: string;
const routes: TokenProxyRoute[] = [];
const seen: { url?: string; servername?: string }[] = [];

beforeAll(async () => {
  server = createServer(
    { cert: readFileSync(join(TLS_DIR, "server.pem")), key: readFileSync(join(TLS_DIR, "server-key.pem")) },
    (req, res) => {
      seen.push({ url: req.url, servername: (req.socket as { servername?: string }).servername });
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end('{"ok":true}');
    },
  );
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = await mkdtemp(join(tmpdir(), "token-proxy-route-"));
});
afterEach(async () => {
  await Promise.all(routes.splice(0).map((r) => r.close()));
  seen.length = 0;
});
afterAll(async () => {
  server.closeAllConnections();
  server.close();
  await rm(dir, { recursive: true, force: true });
});

function recordingLog(): Log & { lines: string[] } {
  const lines: string[] = [];
  const add = (message: string) => lines.push(message);
  return { lines, error: add, warning: add, info: add, verbose: add };
}

function route(
  config: Partial<TokenProxyConfig> & { base?: string },
  log: Log = recordingLog(),
): TokenProxyRoute {
  const made = new TokenProxyRoute({ base: origin, sniName: SNI, ca: undefined, ...config }, log);
  routes.push(made);
  return made;
}

async function get(through: TokenProxyRoute, path = "/tenant/oauth2/v2.0/token") {
  const tls = await through.tls();
  return exchange(tls.direct, through.target(`https://login.microsoftonline.com${path}`), { method: "POST" });
}

describe("TokenProxyRoute.target", () => {
  // The joining rule @azure/identity's tests pin: the proxy's origin, its path, then the request's path.
  it.each([
    ["https://p.example", "https://p.example/TENANT/oauth2/v2.0/token"],
    ["https://p.example/base", "https://p.example/base/TENANT/oauth2/v2.0/token"],
  ])("joins %s and the request's path without a double slash", (base, expected) => {
    expect(route({ base }).target("https://login.microsoftonline.com/TENANT/oauth2/v2.0/token")).toBe(
      expected,
    );
  });

  it("keeps the request's query and its encoded path segments as they are", () => {
    expect(
      route({ base: "https://p.example/a%2Fb" }).target("https://login.example/t%20x/token?api-version=1.0"),
    ).toBe("https://p.example/a%2Fb/t%20x/token?api-version=1.0");
  });
});

describe("TokenProxyRoute TLS", () => {
  it("trusts exactly the given CA and presents the SNI name, whatever host the URL names", async () => {
    const answer = await get(route({ ca: { variable: "AZURE_KUBERNETES_CA_DATA", pem: CA } }));

    expect(answer).toMatchObject({ status: 200, text: '{"ok":true}' });
    expect(seen).toEqual([{ url: "/tenant/oauth2/v2.0/token", servername: SNI }]);
  });

  it("fails verification when the proxy's certificate is not from the given CA: only that CA is trusted", async () => {
    const answer = await get(route({ ca: { variable: "AZURE_KUBERNETES_CA_DATA", pem: OTHER_CA } }));

    expect(errorCode((answer as { error: unknown }).error)).toMatch(
      /^(UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)$/,
    );
  });

  it("fails the server name check when the certificate is not for the SNI name", async () => {
    const answer = await get(
      route({
        sniName: "other.identity-binding.test",
        ca: { variable: "AZURE_KUBERNETES_CA_DATA", pem: CA },
      }),
    );

    expect(errorCode((answer as { error: unknown }).error)).toBe("ERR_TLS_CERT_ALTNAME_INVALID");
  });

  it("follows a rotated CA file at the next exchange, and keeps the last good CA through an empty file", async () => {
    const caFile = join(dir, "ca.crt");
    await writeFile(caFile, OTHER_CA);
    const log = recordingLog();
    const through = route({ ca: { variable: "AZURE_KUBERNETES_CA_FILE", path: caFile, pem: OTHER_CA } }, log);
    expect("error" in (await get(through))).toBe(true);
    const first = (await through.tls()).key;

    // kubelet's swap: a new file renamed over the old one.
    await writeFile(`${caFile}.new`, CA);
    await rename(`${caFile}.new`, caFile);
    expect(await get(through)).toMatchObject({ status: 200 });
    const second = (await through.tls()).key;
    expect(second).not.toBe(first);

    await writeFile(caFile, "");
    expect(await get(through)).toMatchObject({ status: 200 });
    expect((await through.tls()).key).toBe(second);
    expect(log.lines).toContainEqual(
      expect.stringContaining("holds no valid certificate now; keeping the last CA"),
    );
  });

  it("reads the file again on reload() even when its stat did not change, and says whether the CA changed", async () => {
    const caFile = join(dir, "reload.crt");
    await writeFile(caFile, CA);
    const through = route({ ca: { variable: "AZURE_KUBERNETES_CA_FILE", path: caFile, pem: CA } });
    await through.tls();

    expect(await through.reload()).toBe(false);
    await writeFile(caFile, OTHER_CA);
    expect(await through.reload()).toBe(true);
  });

  it("never changes a CA from AZURE_KUBERNETES_CA_DATA", async () => {
    expect(await route({ ca: { variable: "AZURE_KUBERNETES_CA_DATA", pem: CA } }).reload()).toBe(false);
  });
});
