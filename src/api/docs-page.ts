/** A small self-contained API reference page rendered from the OpenAPI document (no external assets). */
export function renderDocsPage(doc: { info: { title: string; description?: string }; paths?: Record<string, Record<string, { summary?: string; description?: string; operationId?: string; responses?: Record<string, unknown> }>> }): string {
  const esc = (s: string) => s.replace(/[&<>"]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch]!);
  const rows = Object.entries(doc.paths ?? {})
    .flatMap(([path, ops]) =>
      Object.entries(ops).map(
        ([method, op]) =>
          `<tr><td class="m ${method}">${method.toUpperCase()}</td><td><code>${esc(path)}</code></td><td>${esc(op.summary ?? '')}${op.description ? `<br><small>${esc(op.description)}</small>` : ''}</td><td>${Object.keys(op.responses ?? {}).join(' ')}</td></tr>`,
      ),
    )
    .join('\n');
  return `<!doctype html><html><head><meta charset="utf-8"><title>${esc(doc.info.title)}</title>
<style>body{font:14px system-ui,sans-serif;margin:2rem;max-width:1100px}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.4rem;text-align:left;vertical-align:top}.m{font-weight:bold;font-family:monospace}.get{color:#06c}.post{color:#080}.delete{color:#c00}.patch{color:#a60}</style></head>
<body><h1>${esc(doc.info.title)}</h1><p>${esc(doc.info.description ?? '')}</p><p>Machine-readable contract: <a href="/openapi.yaml">/openapi.yaml</a></p>
<table><thead><tr><th>Method</th><th>Path</th><th>What it does</th><th>Responses</th></tr></thead><tbody>${rows}</tbody></table></body></html>`;
}
