// What every measurement shares: the scope asked for, the implementations' ids in table order, and the adapter
// (src/impl/<adapter>.cjs) that fills each column in the default mode and in an AKS identity-binding pod.

/** Key Vault: the resource the quickstart uses, and one the emulator always knows. */
export const SCOPE = "https://vault.azure.net/.default";

/** @typedef {"ours" | "identity" | "msal"} ImplementationId */
/** @typedef {{ id: ImplementationId, label: string, adapter: string }} Adapter */

/** @type {readonly { id: ImplementationId, label: string }[]} */
export const IMPLEMENTATIONS = [
  { id: "ours", label: "ours" },
  { id: "identity", label: "@azure/identity" },
  { id: "msal", label: "msal-node" },
];

/** Each column's own adapter, configured by the pod's environment. @type {readonly Adapter[]} */
export const DEFAULT_ADAPTERS = IMPLEMENTATIONS.map(({ id, label }) => ({ id, label, adapter: id }));

/**
 * An identity-binding pod: ours and @azure/identity with `enableAzureProxy: true`. msal-node alone has no such
 * switch (its column stays "n/a").
 * @type {readonly Adapter[]}
 */
export const BINDING_ADAPTERS = [
  { id: "ours", label: "ours", adapter: "ours-binding" },
  { id: "identity", label: "@azure/identity", adapter: "identity-binding" },
];
