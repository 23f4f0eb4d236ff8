import type { ReactNode } from "react";

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'", "#x27": "'", apos: "'" };

function decodeEntities(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39|#x27|apos|#\d+|#x[0-9a-f]+);/gi, (match, name: string) => {
    const known = ENTITIES[name.toLowerCase()];
    if (known) return known;
    if (name.startsWith("#x") || name.startsWith("#X")) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith("#")) return String.fromCodePoint(parseInt(name.slice(1), 10));
    return match;
  });
}

/**
 * Render the server's highlight (escaped text with <mark>…</mark> around matches) as React
 * elements. Only <mark> becomes markup; everything else is shown as text, so a hostile
 * description can never inject HTML.
 */
export function Highlight({ html }: { html: string | null | undefined }): ReactNode {
  if (!html) return null;
  const parts = html.split(/(<mark>|<\/mark>)/);
  const out: ReactNode[] = [];
  let marked = false;
  parts.forEach((part, index) => {
    if (part === "<mark>") marked = true;
    else if (part === "</mark>") marked = false;
    else if (part) {
      const text = decodeEntities(part);
      out.push(marked ? <mark key={index}>{text}</mark> : text);
    }
  });
  return <>{out}</>;
}
