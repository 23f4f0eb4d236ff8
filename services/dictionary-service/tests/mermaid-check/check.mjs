// Parses Mermaid diagrams with the real mermaid parser.
// stdin: a JSON array of diagram texts; stdout: a JSON array of
// {"ok": true, "diagramType": "er"} or {"ok": false, "error": "..."}; exit 1 if any failed.
// A diagram that sets configuration (an `%%{init}%%` directive, front matter) gets a
// "config" key with what it set, so a test can tell that nothing in it did.
// mermaid needs a DOM (DOMPurify) even to parse, so jsdom provides one.
import { JSDOM } from "jsdom";
import createDOMPurify from "dompurify";

const { window } = new JSDOM("");
globalThis.window = window;
globalThis.document = window.document;
globalThis.DOMPurify = createDOMPurify(window);

const { default: mermaid } = await import("mermaid");
mermaid.initialize({ startOnLoad: false });

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const diagrams = JSON.parse(Buffer.concat(chunks).toString("utf8"));

const results = [];
for (const text of diagrams) {
  try {
    const parsed = await mermaid.parse(text);
    const result = { ok: true, diagramType: parsed.diagramType };
    if (parsed.config && Object.keys(parsed.config).length > 0) result.config = parsed.config;
    results.push(result);
  } catch (error) {
    results.push({ ok: false, error: String(error?.message ?? error) });
  }
}
process.stdout.write(JSON.stringify(results));
process.exitCode = results.every((r) => r.ok) ? 0 : 1;
