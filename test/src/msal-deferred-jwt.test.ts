// msal-node requires jsonwebtoken at load for certificate assertions, which the credential never makes; the
// credential hands it a stand-in that loads the real module at first use (packages/credential/src/exchange/
// load-msal.cts). In a fresh process (jest's own module system bypasses Node's loader): the first token leaves
// jsonwebtoken unloaded, and msal-node, as loaded, still signs a certificate assertion through the stand-in.
import type { Emulator } from "@workload-identity/emulator";
import { join } from "node:path";
import { runNode } from "./support/child-process.js";
import { startTrustedEmulator } from "./support/trusted-emulator.js";

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startTrustedEmulator();
});
afterAll(() => emulator.close());

it("defers jsonwebtoken until msal-node signs with it, and signs through the stand-in then", async () => {
  const before = emulator.stats.count({ endpoint: "token" });
  const result = await runNode([join(__dirname, "fixtures", "msal-deferred-jwt.cjs")], emulator.env);

  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  const report = JSON.parse(result.stdout) as {
    afterToken: boolean;
    afterCertificate: boolean;
    outcome: string;
  };
  expect(report.afterToken).toBe(false);
  expect(report.afterCertificate).toBe(true);
  // The certificate assertion reached Entra, which refused it: the signature was made.
  expect(report.outcome).toMatch(/^ServerError: /);
  expect(emulator.stats.count({ endpoint: "token" })).toBe(before + 2);
});
