// What every measurement shares: the scope asked for, and the implementations' ids in table order.

/** Key Vault: the resource the quickstart uses, and one the emulator always knows. */
export const SCOPE = "https://vault.azure.net/.default";

/** @typedef {"ours" | "identity" | "msal"} ImplementationId */

/** @type {readonly { id: ImplementationId, label: string }[]} */
export const IMPLEMENTATIONS = [
  { id: "ours", label: "ours" },
  { id: "identity", label: "@azure/identity" },
  { id: "msal", label: "msal-node" },
];
