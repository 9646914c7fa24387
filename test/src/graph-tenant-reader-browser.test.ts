// The Graph tenant reader's page in Debian's Chromium (playwright-core): the tenant rendered within its CSP, no
// console errors or CSP violations, markup in the tenant's name kept as text, a failed read shown as a code only.
// GRAPH_TENANT_READER_SCREENSHOT=<path from the repository root> keeps a screenshot of the first page.
import type { ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { Emulator } from "@workload-identity/emulator";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { OutputWatcher, REPO_ROOT, freePort, startSample, stopAndTime } from "./support/samples.js";
import { startTrustedEmulator } from "./support/trusted-emulator.js";

const CHROMIUM = "/usr/bin/chromium";
// As root on a closed network: no sandbox, and no background connections Chromium would try at every start.
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const MARKUP_TENANT = "7b5d8b2f-4e3c-4a6f-8d9e-8c7b6a5f4e3d";
const MARKUP_APP = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
// No application of the tenant has this client id (a wrong client-id annotation): Entra answers AADSTS700016
// at once. (A federated-credential mismatch would do as well, but the credential retries that one for a minute
// before its first token, in case the credential is still propagating.)
const UNKNOWN_APP = "2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e";
const MARKUP_NAME = "Fabrikam <script>window.injected = 1</script>";
const MARKUP_DOMAIN = '"><img src=x onerror="window.injected = 2">.example';

let emulator: Emulator;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: this test needs Debian's Chromium (apt-get install -y chromium; .ci/run installs it)`,
    );
  }
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  emulator = await startTrustedEmulator({
    tenants: [
      { domains: ["contoso.onmicrosoft.com", "contoso.example"] },
      { id: MARKUP_TENANT, displayName: MARKUP_NAME, domains: [MARKUP_DOMAIN] },
    ],
    applications: [{}, { clientId: MARKUP_APP, tenantId: MARKUP_TENANT }],
  });
});
afterAll(async () => {
  // Unset when beforeAll failed (no Chromium): its message is the one to read.
  await (browser as Browser | undefined)?.close();
  await (emulator as Emulator | undefined)?.close();
});

interface Reader {
  base: string;
  output: OutputWatcher;
  child: ChildProcess;
}

async function startReader(env: Record<string, string>): Promise<Reader> {
  const port = await freePort();
  const child = startSample("graph-tenant-reader", { ...emulator.env, ...env, PORT: String(port) });
  return { base: `http://127.0.0.1:${port}`, output: new OutputWatcher(child), child };
}

/** A fresh context per page; console errors, page errors and CSP violations recorded from the first byte. */
async function open(url: string): Promise<{ page: Page; context: BrowserContext; problems: string[] }> {
  const context = await browser.newContext({ viewport: { width: 720, height: 360 } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console error: ${message.text()}`);
  });
  page.on("pageerror", (error) => {
    problems.push(`page error: ${error.message}`);
  });
  await page.addInitScript({
    content:
      "window.violations = [];" +
      "document.addEventListener('securitypolicyviolation', (e) => " +
      "window.violations.push('CSP violation: ' + e.effectiveDirective + ' blocked ' + (e.blockedURI || 'inline')));",
  });
  // The icon is the page's last fetch: once it is in, every error the page could log has been logged.
  const [response, icon] = await Promise.all([
    page.goto(url, { waitUntil: "load" }),
    page.waitForResponse((r) => new URL(r.url()).pathname === "/favicon.svg"),
  ]);
  expect(response?.status()).toBe(200);
  expect(icon.status()).toBe(200);
  return { page, context, problems };
}

async function problemsOf(page: Page, problems: string[]): Promise<string[]> {
  const violations = await page.evaluate<string[]>("window.violations");
  return [...problems, ...violations];
}

it("renders the tenant with its style, no console error and no CSP violation", async () => {
  const reader = await startReader({});
  try {
    await reader.output.waitFor(/^I.*"read tenant"/);
    const { page, context, problems } = await open(`${reader.base}/`);

    expect(await page.locator("h1").innerText()).toBe("Contoso (emulated)");
    expect(await page.getByText(emulator.env.AZURE_TENANT_ID).isVisible()).toBe(true);
    expect(await page.getByText("contoso.onmicrosoft.com").isVisible()).toBe(true);
    expect(await page.getByText("contoso.example").isVisible()).toBe(true);
    expect(await page.locator("time").isVisible()).toBe(true);
    expect(await page.getByText("Last read succeeded").isVisible()).toBe(true);
    // The page's own style applied: its CSP hash matches the style element.
    expect(await page.evaluate("getComputedStyle(document.querySelector('main')).maxWidth")).toBe("704px");
    expect(await problemsOf(page, problems)).toEqual([]);

    const screenshot = process.env.GRAPH_TENANT_READER_SCREENSHOT;
    if (screenshot) await page.screenshot({ path: resolve(REPO_ROOT, screenshot) });
    await context.close();
  } finally {
    await stopAndTime(reader.child);
  }
});

it("enforces the CSP: a style injected after load is blocked and reported", async () => {
  const reader = await startReader({});
  try {
    await reader.output.waitFor(/^I.*"read tenant"/);
    const { page, context } = await open(`${reader.base}/`);
    await page.evaluate(
      "document.head.insertAdjacentHTML('beforeend', '<style>main { max-width: 10px }</style>')",
    );
    await page.waitForFunction("window.violations.length > 0");
    expect(await page.evaluate("window.violations")).toEqual([
      "CSP violation: style-src-elem blocked inline",
    ]);
    expect(await page.evaluate("getComputedStyle(document.querySelector('main')).maxWidth")).toBe("704px");
    await context.close();
  } finally {
    await stopAndTime(reader.child);
  }
});

it("shows markup in the tenant's name and domains as text, running none of it", async () => {
  const reader = await startReader({ AZURE_CLIENT_ID: MARKUP_APP, AZURE_TENANT_ID: MARKUP_TENANT });
  try {
    await reader.output.waitFor(/^I.*"read tenant"/);
    const { page, context, problems } = await open(`${reader.base}/`);

    expect(await page.locator("h1").innerText()).toBe(MARKUP_NAME);
    expect(await page.getByText(MARKUP_DOMAIN).isVisible()).toBe(true);
    expect(await page.locator("script, img").count()).toBe(0);
    expect(await page.evaluate("window.injected")).toBeUndefined();
    expect(await problemsOf(page, problems)).toEqual([]);
    await context.close();
  } finally {
    await stopAndTime(reader.child);
  }
});

it("shows a failed read as a generic status with its code, the detail only in the log", async () => {
  const reader = await startReader({ AZURE_CLIENT_ID: UNKNOWN_APP });
  try {
    const [line = ""] = await reader.output.waitFor(/^E.*"failed to read the organization/);
    // The log has the detail an operator needs...
    expect(line).toContain('code="ERR_UNKNOWN_CLIENT"');
    expect(line).toContain(UNKNOWN_APP);
    expect(line).toContain("azure.workload.identity/client-id");

    const { page, context, problems } = await open(`${reader.base}/`);
    expect(await page.getByRole("alert").innerText()).toContain("Last read failed (ERR_UNKNOWN_CLIENT)");
    expect(await problemsOf(page, problems)).toEqual([]);
    // ...the page and the API show none of it.
    const api = await fetch(`${reader.base}/api/organization`);
    expect(api.status).toBe(503);
    const apiText = await api.text();
    expect(JSON.parse(apiText)).toEqual({ status: "error", code: "ERR_UNKNOWN_CLIENT" });
    for (const served of [await page.content(), apiText]) {
      for (const secretish of [
        UNKNOWN_APP,
        emulator.env.AZURE_TENANT_ID,
        "Contoso",
        "azure.workload.identity",
        emulator.env.AZURE_AUTHORITY_HOST,
      ]) {
        expect(served).not.toContain(secretish);
      }
    }
    await context.close();
  } finally {
    await stopAndTime(reader.child);
  }
});
