export { getAvailableEnvironments, resolveDefaultEnvironment, resolveVaultTarget, availableEnvironments } from "./resolve.js";
export type { ResolveOptions } from "./resolve.js";
export { loadSettings, loadLayers, mergeLayers, findProjectFile } from "./load.js";
export type { LoadOptions } from "./load.js";
export { describeTarget, parseVaultSpec } from "./vault-target.js";
export type { VaultTarget } from "./vault-target.js";
export type { EnvironmentSettings, OrbitraSettings } from "./model.js";
export { orbitraHome, localVaultPath } from "./paths.js";
export { variableFor } from "./env-source.js";
