// `npm run build`: the agent as one file, dist/cli.js, with every dependency inside it. One file to read and
// compile instead of some 200 modules to resolve: less start-up CPU and memory on a Pi's slow core
// (docs/benchmarks.md, pizero), and a package without node_modules. tsc type-checks first (--noEmit).
//   node tools/bundle.mjs [--entry src/x.ts --out FILE]   (the benchmark bundles other entries the same way)
import { build } from "esbuild";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";

const REPO = fileURLToPath(new URL("..", import.meta.url));
const { values } = parseArgs({ options: { entry: { type: "string" }, out: { type: "string" } } });
const production = !values.entry;
const entry = resolve(REPO, values.entry ?? "src/cli.ts");
const out = values.out ?? join(REPO, "dist/cli.js");

if (production) rmSync(join(REPO, "dist"), { recursive: true, force: true }); // no module of an older build ships
const result = await build({
  entryPoints: [entry],
  outfile: out,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  // Whitespace and syntax only: names stay, so a stack trace in the journal still says which function
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: "linked",
  legalComments: "none",
  metafile: true,
  logLevel: "warning",
  // The CommonJS dependencies (convict, pino) call require() for node's own modules
  banner: { js: 'import { createRequire as __agentRequire } from "node:module"; const require = __agentRequire(import.meta.url);' },
});

// MIT and friends ask that their notices travel with the code: one file beside the bundle, one section each
const packages = new Set();
for (const input of Object.keys(result.metafile.inputs)) {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
  if (m) packages.add(m[1]);
}
const notices = [...packages].sort().map((name) => {
  const dir = join(REPO, "node_modules", name);
  const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  const file = ["LICENSE", "LICENSE.md", "LICENSE.txt", "license", "LICENCE"].map((f) => join(dir, f)).find((f) => {
    try { return readFileSync(f) && true; } catch { return false; }
  });
  return `${name} ${pkg.version} (${pkg.license ?? pkg.licenses?.map((l) => l.type).join(", ") ?? "no license field"})\n\n${file ? readFileSync(file, "utf8").trim() : "(no license file in the package)"}\n`;
});
writeFileSync(join(dirname(out), production ? "third-party-notices.txt" : `${out.replace(/.*\//, "")}.notices.txt`),
  `xmpp-device-agent's dist/cli.js holds these packages:\n\n${notices.join("\n----\n\n")}`);
