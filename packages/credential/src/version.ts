// This package's version, for what it reports about itself (the tracing spans' package version).
// A constant, so neither the ES module nor the CommonJS build reads package.json at run time; version.spec.ts
// fails while it differs from package.json's: after `changeset version`, copy the new version here.
export const packageVersion = "0.1.0";
