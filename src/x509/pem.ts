/** One block of PEM text: its label, the DER inside, and the block's own text (with any headers). */
export interface PemBlock {
  label: string;
  der: Buffer;
  text: string;
}

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----/g;

/** Every block in `text`, in order; text between blocks (comments, `Bag Attributes`) is skipped. */
export function pemBlocks(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  for (const match of text.matchAll(BLOCK)) {
    // Encrypted PKCS#1/SEC1 keys carry `Proc-Type:`/`DEK-Info:` headers before a blank line.
    const body = match[2]!.replace(/^[\s\S]*?\r?\n\r?\n/, (headers) => (headers.includes(":") ? "" : headers));
    blocks.push({ label: match[1]!, der: Buffer.from(body.replace(/\s+/g, ""), "base64"), text: match[0] });
  }
  return blocks;
}

/**
 * Whether an import is PEM: the service sniffs text with a `-----BEGIN` line (the SDK sends PEM as
 * its ASCII text, a PFX as base64 or bytes). DER always starts with a SEQUENCE tag, 0x30.
 */
export function looksLikePem(content: string | Uint8Array): boolean {
  if (typeof content === "string") return content.includes("-----BEGIN ");
  return content[0] !== 0x30 && Buffer.from(content).toString("latin1").includes("-----BEGIN ");
}

/** DER -> PEM with 64-column lines and a final newline, as openssl writes it. */
export function toPem(label: string, der: Uint8Array): string {
  const lines = Buffer.from(der).toString("base64").match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}
