// Runs the real axe-core over local HTML files in the system's Chromium, driven by
// puppeteer-core (which downloads no browser). Usage:
//   node axe_check.mjs CHROMIUM FILE.html [FILE.html ...]
// Prints one JSON object: {"axe": VERSION, "rules": TAGS, "pages": {FILE: {"passes": N,
// "violations": [{"id", "impact", "help", "nodes": [{"target", "html"}]}]}}}.
// Pages are opened from file:// with JavaScript on only for axe itself: the pages calcinosis
// writes carry no script of their own.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import puppeteer from "puppeteer-core";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const axeVersion = require("axe-core/package.json").version;
// WCAG 2.0 A and AA, WCAG 2.1 A and AA, and axe's best practices.
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"];

const [chromium, ...files] = process.argv.slice(2);
if (!chromium || files.length === 0) {
  console.error("usage: node axe_check.mjs CHROMIUM FILE.html [FILE.html ...]");
  process.exit(2);
}

const browser = await puppeteer.launch({
  executablePath: chromium,
  headless: true,
  args: [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
  ],
});
const pages = {};
try {
  for (const file of files) {
    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 900 });
    await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
    await page.evaluate(axeSource);
    const result = await page.evaluate(
      (tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] }),
      TAGS,
    );
    pages[file] = {
      passes: result.passes.length,
      violations: result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n) => ({ target: n.target.join(" "), html: n.html.slice(0, 200) })),
      })),
    };
    await page.close();
  }
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify({ axe: axeVersion, rules: TAGS, pages }, null, 1) + "\n");
