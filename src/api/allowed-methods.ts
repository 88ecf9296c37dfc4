/**
 * Which methods the contract documents for a concrete path, so a known path asked with another
 * method answers 405 with `Allow` rather than 404.
 */
export function allowedMethodsFor(paths: Record<string, Record<string, unknown>>): (path: string) => string[] {
  const templates = Object.entries(paths).map(([template, ops]) => ({
    regex: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\\{[^}]+\\\}|\{[^}]+\}/g, '[^/]+')}$`),
    methods: Object.keys(ops).map((m) => m.toUpperCase()),
  }));
  return (path) => [...new Set(templates.filter((t) => t.regex.test(path)).flatMap((t) => t.methods))].sort();
}
