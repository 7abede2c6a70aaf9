/**
 * The built-in Key Vault data-plane roles and their data actions, as Azure defines them (fact
 * sheet §12). Wildcards match one path segment (`vaults/*\/read`) or, at the end, everything
 * below (`vaults/secrets/*`), as Azure's action matching does.
 */
export interface BuiltInRole {
  name: string;
  id: string;
  dataActions: readonly string[];
}

const KV = "Microsoft.KeyVault/vaults/";

export const BUILT_IN_ROLES: readonly BuiltInRole[] = Object.freeze([
  { name: "Key Vault Administrator", id: "00482a5a-887f-4fb3-b363-3b7fe8e74483", dataActions: [`${KV}*`] },
  { name: "Key Vault Reader", id: "21090545-7ca7-4776-b22c-e363652d74d2", dataActions: [`${KV}*/read`, `${KV}secrets/readMetadata/action`] },
  { name: "Key Vault Secrets Officer", id: "b86a8fe4-44ce-4948-aee5-eccb2c155cd7", dataActions: [`${KV}secrets/*`] },
  { name: "Key Vault Secrets User", id: "4633458b-17de-408a-b874-0445c86b69e6", dataActions: [`${KV}secrets/getSecret/action`, `${KV}secrets/readMetadata/action`] },
  { name: "Key Vault Crypto Officer", id: "14b46e9e-c2b7-41b4-b07b-48a6ebf60603", dataActions: [`${KV}keys/*`, `${KV}keyrotationpolicies/*`] },
  {
    name: "Key Vault Crypto User",
    id: "12338af0-0e69-4776-bea7-57ae8d297424",
    dataActions: ["read", "update/action", "backup/action", "encrypt/action", "decrypt/action", "wrap/action", "unwrap/action", "sign/action", "verify/action"].map(
      (a) => `${KV}keys/${a}`,
    ),
  },
  {
    name: "Key Vault Crypto Service Encryption User",
    id: "e147488a-f6f5-4113-8e2d-b22465e65bf6",
    dataActions: [`${KV}keys/read`, `${KV}keys/wrap/action`, `${KV}keys/unwrap/action`],
  },
  { name: "Key Vault Crypto Service Release User", id: "08bbd89e-9f13-488c-ac41-acfcb10c90ab", dataActions: [`${KV}keys/release/action`] },
  {
    name: "Key Vault Certificates Officer",
    id: "a4417e6f-fecd-4de8-b567-7b0420556985",
    dataActions: [`${KV}certificatecas/*`, `${KV}certificates/*`, `${KV}certificatecontacts/write`],
  },
  {
    name: "Key Vault Certificate User",
    id: "db79e9a7-68ee-4b58-9aeb-b90e7c24fcba",
    dataActions: [`${KV}certificates/read`, `${KV}secrets/getSecret/action`, `${KV}secrets/readMetadata/action`, `${KV}keys/read`],
  },
  // Management-plane roles: no data actions, so they grant nothing here (as in Azure).
  { name: "Key Vault Contributor", id: "f25e0fa2-a7c8-4377-a976-54943a77a395", dataActions: [] },
  { name: "Key Vault Data Access Administrator", id: "8b54135c-b56d-4d72-a534-26097cfdc8d8", dataActions: [] },
]);

/** A role by its name (case-insensitive) or GUID. */
export function findRole(nameOrId: string): BuiltInRole | undefined {
  const key = nameOrId.trim().toLowerCase();
  return BUILT_IN_ROLES.find((r) => r.name.toLowerCase() === key || r.id === key);
}

/** Whether a data-action pattern covers an action; comparison ignores case, as Azure's does. */
export function actionMatches(pattern: string, action: string): boolean {
  const p = pattern.toLowerCase().split("/");
  const a = action.toLowerCase().split("/");
  for (let i = 0; i < p.length; i++) {
    const segment = p[i]!;
    if (segment === "*" && i === p.length - 1) return a.length > i;
    if (i >= a.length) return false;
    if (segment !== "*" && segment !== a[i]) return false;
  }
  return p.length === a.length;
}

export function roleGrants(role: BuiltInRole, action: string): boolean {
  return role.dataActions.some((pattern) => actionMatches(pattern, action));
}
