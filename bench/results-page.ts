// docs/benchmarks.md has one section per scenario; the generated part sits between
// `<!-- bench:NAME:start -->` and `<!-- bench:NAME:end -->`, and only that part is replaced, so the text around
// it and other scenarios' sections stay as people wrote them.
import { readFileSync, writeFileSync } from "node:fs";

export function replaceSection(page: string, name: string, title: string, body: string): string {
  const start = `<!-- bench:${name}:start -->`;
  const end = `<!-- bench:${name}:end -->`;
  const generated = `${start}\n${body.trim()}\n${end}`;
  const from = page.indexOf(start);
  const to = page.indexOf(end);
  if (from !== -1 && to > from) return page.slice(0, from) + generated + page.slice(to + end.length);
  if (from !== -1 || to !== -1) throw new Error(`docs/benchmarks.md: "${start}" and "${end}" must both be present, in that order`);
  // A new scenario: append a section of its own
  return `${page.trimEnd()}\n\n## ${title}\n\n${generated}\n`;
}

export function writeSection(file: string, name: string, title: string, body: string): void {
  let page = "# Benchmarks\n";
  try {
    page = readFileSync(file, "utf8");
  } catch {
    // first run: start the page
  }
  writeFileSync(file, replaceSection(page, name, title, body));
}
