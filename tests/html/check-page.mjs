// Opens a creeplint HTML report in headless Chromium (driven by playwright-core) and checks it as a
// reader's browser sees it:
// - it loads with no console error, no page error and no request beyond the file itself;
// - no script exists in the page and none ran (`window.__creeplint_pwned` stays unset);
// - each finding of the run (from `--format json`) is exactly one <mark data-finding=N> whose text
//   is the finding's matched text, in its severity's class, with the severity's colour applied;
// - the texts the caller lists appear, as text, in the copy;
// then writes a full-page screenshot.
//
// Usage: node check-page.mjs REPORT.html EXPECTED.json SCREENSHOT.png
// EXPECTED.json: {"findings": [{"matched": "...", "severity": "error"}...], "texts": ["..."]}
// Prints a JSON object {"problems": [...]} and exits 1 when there are problems.
import { createRequire } from "node:module";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const require = createRequire(import.meta.url);
const { chromium } = require(process.env.CREEPLINT_PLAYWRIGHT || "playwright-core");

const [report, expectedPath, screenshot] = process.argv.slice(2);
const expected = JSON.parse(readFileSync(expectedPath, "utf8"));
const url = pathToFileURL(resolve(report)).href;
const problems = [];

const profile = mkdtempSync(join(tmpdir(), "creeplint-chromium-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CREEPLINT_CHROMIUM || "/usr/bin/chromium",
  headless: true,
  viewport: { width: 1280, height: 900 },
  // Without the networking flags Chromium stalls on a closed network (component updates, sync).
  args: [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
  ],
});
try {
  const page = context.pages()[0] || (await context.newPage());
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("request", (r) => {
    if (r.url() !== url) problems.push(`the page requested ${r.url()}`);
  });
  const response = await page.goto(url, { waitUntil: "load" });
  if (!response || !response.ok()) problems.push(`loading ${url} failed`);

  const seen = await page.evaluate(() => {
    const marks = [...document.querySelectorAll("mark[data-finding]")].map((m) => ({
      index: Number(m.dataset.finding),
      text: m.textContent,
      classes: [...m.classList],
      background: getComputedStyle(m).backgroundColor,
    }));
    const copy = [...document.querySelectorAll("pre.copy")].map((p) => p.textContent).join("\n");
    return {
      marks,
      copy,
      scripts: document.scripts.length,
      elementsInCopy: document.querySelectorAll("pre.copy *:not(mark)").length,
      pwned: window.__creeplint_pwned === undefined ? null : String(window.__creeplint_pwned),
      title: document.title,
    };
  });
  if (seen.title !== "creeplint report") problems.push(`title is ${JSON.stringify(seen.title)}`);
  if (seen.scripts !== 0) problems.push(`${seen.scripts} script element(s) in the page`);
  if (seen.pwned !== null) problems.push(`a script from the copy ran: __creeplint_pwned = ${seen.pwned}`);
  if (seen.elementsInCopy !== 0) problems.push(`${seen.elementsInCopy} element(s) other than <mark> inside the copy`);
  const colours = { error: "rgb(253, 231, 230)", warning: "rgb(255, 241, 199)", info: "rgb(227, 238, 252)" };
  expected.findings.forEach((f, index) => {
    const marks = seen.marks.filter((m) => m.index === index);
    if (marks.length !== 1) {
      problems.push(`finding ${index} (${JSON.stringify(f.matched)}): ${marks.length} highlights, expected 1`);
      return;
    }
    const [m] = marks;
    if (m.text !== f.matched) {
      problems.push(`finding ${index}: highlight wraps ${JSON.stringify(m.text)}, expected ${JSON.stringify(f.matched)}`);
    }
    if (!m.classes.includes(`sev-${f.severity}`)) problems.push(`finding ${index}: classes ${m.classes}, expected sev-${f.severity}`);
    if (m.background !== colours[f.severity]) problems.push(`finding ${index}: background ${m.background}, expected ${colours[f.severity]}`);
  });
  const extra = seen.marks.filter((m) => m.index >= expected.findings.length);
  if (extra.length) problems.push(`${extra.length} highlight(s) for findings the run does not have`);
  for (const text of expected.texts || []) {
    if (!seen.copy.includes(text)) problems.push(`the copy does not show ${JSON.stringify(text)} as text`);
  }
  // The whole page when it is of a size to look at; a very long report, its first screens.
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  if (height <= 12000) {
    await page.screenshot({ path: screenshot, fullPage: true });
  } else {
    await page.setViewportSize({ width: 1280, height: 6000 });
    await page.screenshot({ path: screenshot });
  }
  console.log(JSON.stringify({ problems, highlights: seen.marks.length }));
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
process.exit(problems.length ? 1 : 0);
