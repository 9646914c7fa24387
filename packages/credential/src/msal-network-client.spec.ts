import type { INetworkModule } from "@azure/msal-node";
import { createMsalNetworkClient, type MsalNetworkClient } from "./msal-network-client.js";

const clients: MsalNetworkClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
});

describe("createMsalNetworkClient", () => {
  it("is an MSAL network module (checked by the compiler) without routing anywhere else by default", () => {
    const client = createMsalNetworkClient({ env: { AZURE_KUBERNETES_TOKEN_PROXY: "https://10.0.0.1/" } });
    clients.push(client);
    const forMsal: INetworkModule = client;
    expect(typeof forMsal.sendPostRequestAsync).toBe("function");
  });

  it("checks the identity binding's variables as the credential does when the switch is on", () => {
    expect(() =>
      createMsalNetworkClient({
        enableAzureProxy: true,
        env: { AZURE_KUBERNETES_TOKEN_PROXY: "http://10.0.0.1/" },
      }),
    ).toThrow(/AZURE_KUBERNETES_TOKEN_PROXY .* must use https/);
  });
});
