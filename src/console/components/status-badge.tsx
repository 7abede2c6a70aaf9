import { status, type Attributes } from "../api.js";

export function StatusBadge({ attributes }: { attributes: Attributes }) {
  const s = status(attributes);
  return <span class={`status status-${s.replace(/ /g, "-")}`}>{s}</span>;
}
