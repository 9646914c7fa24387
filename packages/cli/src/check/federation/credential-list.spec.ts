import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  listFor,
  parseCredentialOption,
  readCredentialList,
  type CredentialList,
} from "./credential-list.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "check-credentials-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function read(content: unknown, option = (file: string) => file) {
  const file = join(dir, "fic.json");
  await writeFile(file, typeof content === "string" ? content : JSON.stringify(content));
  return readCredentialList(option(file));
}

const AZ_ENTRY = {
  audiences: ["api://AzureADTokenExchange"],
  id: "/subscriptions/x/.../federatedIdentityCredentials/prod",
  issuer: "https://oidc.example/",
  name: "prod",
  resourceGroup: "apps",
  subject: "system:serviceaccount:apps:api",
  type: "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials",
};

describe("readCredentialList", () => {
  it("reads az identity federated-credential list's array", async () => {
    expect(await read([AZ_ENTRY])).toMatchObject({
      clientId: undefined,
      flexible: 0,
      credentials: [
        {
          name: "prod",
          issuer: "https://oidc.example/",
          subject: "system:serviceaccount:apps:api",
          audiences: ["api://AzureADTokenExchange"],
        },
      ],
    });
  });

  it("reads Microsoft Graph's { value: [...] }, counting flexible credentials apart", async () => {
    const list = await read({
      "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#...",
      value: [
        { name: "prod", issuer: "https://oidc.example/", subject: "s", audiences: ["a"] },
        {
          name: "gh",
          issuer: "https://token.actions.githubusercontent.com",
          subject: null,
          audiences: ["a"],
          claimsMatchingExpression: { value: "claims['sub'] matches 'repo:x/*'", languageVersion: 1 },
        },
      ],
    });

    expect(list).toMatchObject({ credentials: [{ name: "prod" }], flexible: 1 });
  });

  it("ties a list to a client id given as CLIENT_ID=FILE", async () => {
    const list = await read([AZ_ENTRY], (file) => `0F1E2D3C-4B5A-4968-8776-A5B4C3D2E1F0=${file}`);

    expect(list).toMatchObject({
      clientId: "0F1E2D3C-4B5A-4968-8776-A5B4C3D2E1F0",
      file: join(dir, "fic.json"),
    });
  });

  it.each([
    ["not JSON", "{", /^not JSON \(.+\); save the output of az identity federated-credential list$/],
    ["no list", { count: 1 }, /^not a list of federated credentials/],
    ["an entry without issuer", [{ name: "a", subject: "s", audiences: [] }], /^entry 1 has no issuer$/],
    ["an entry without audiences", [{ name: "a", issuer: "i", subject: "s" }], /^entry 1 has no audiences/],
    ["an entry without subject", [{ name: "a", issuer: "i", audiences: ["x"] }], /^entry 1 has no subject$/],
  ])("refuses %s, naming the file", async (_case, content, message) => {
    const problem = await read(content);

    expect(problem).toEqual({ source: join(dir, "fic.json"), message: expect.stringMatching(message) });
  });

  it("names an unreadable file", async () => {
    expect(await readCredentialList(join(dir, "missing.json"))).toEqual({
      source: join(dir, "missing.json"),
      message: "cannot read the federated credentials (ENOENT)",
    });
  });
});

describe("parseCredentialOption and listFor", () => {
  it("takes a leading GUID= as the client id, and anything else as a path", () => {
    expect(parseCredentialOption("a=b.json")).toEqual({ clientId: undefined, file: "a=b.json" });
    expect(parseCredentialOption("0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0=x.json")).toEqual({
      clientId: "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0",
      file: "x.json",
    });
  });

  it("gives an identity its own list (client ids compared without case), else the list without a client id", () => {
    const own: CredentialList = {
      file: "own",
      clientId: "0F1E2D3C-4B5A-4968-8776-A5B4C3D2E1F0",
      credentials: [],
      flexible: 0,
    };
    const any: CredentialList = { file: "any", clientId: undefined, credentials: [], flexible: 0 };

    expect(listFor([any, own], "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0")).toBe(own);
    expect(listFor([any, own], "11111111-2222-4333-8444-555555555555")).toBe(any);
    expect(listFor([own], undefined)).toBeUndefined();
  });
});
