// Browser end-to-end test: headless Chromium (Debian's, never downloaded) drives the real
// `certprep serve` through sign-up, a short exam containing every item type (with one drag and
// drop), the review screen, results, history, readiness, the review queue, bank health and the
// catalog. Each page is screenshotted into
// e2e/artifacts/ and checked with axe-core: no serious or critical violation is allowed.
//
// Usage: node e2e/run.mjs   (CERTPREP_BIN overrides the binary, CHROMIUM the browser)

import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..");
const require = createRequire(import.meta.url);
const axePath = require.resolve("axe-core/axe.min.js");
const bin = process.env.CERTPREP_BIN || join(root, "target/debug/certprep");
const browserPath = process.env.CHROMIUM || "/usr/bin/chromium";
const artifacts = join(here, "artifacts");
mkdirSync(artifacts, { recursive: true });

let passed = 0;
let failed = 0;
function check(ok, what) {
  if (ok) { passed++; } else { failed++; console.error(`FAIL: ${what}`); }
}

// A demo exam whose bank is the format specification's examples: one item of every type, a
// series and a case study, so one short exam shows them all.
function writeFixture(dir) {
  const spec = readFileSync(join(root, "docs/bank-format.md"), "utf8");
  const examples = [...spec.matchAll(/^````markdown\n([\s\S]*?)\n````$/gm)].map((m) => m[1]);
  const retag = (text) => text
    .split("\n")
    .filter((line) => !/^ai-102@/.test(line))
    .map((line) => (/^ai-103@/.test(line) ? "demo@2026-01-01: basics" : line))
    .join("\n");
  const standalone = examples.filter((e) => !e.startsWith("#")).map(retag);
  const groups = examples.filter((e) => e.startsWith("#")).map(retag);
  mkdirSync(join(dir, "exams"), { recursive: true });
  writeFileSync(join(dir, "demo.md"), `# Demo\n\n${standalone.join("\n\n")}\n\n${groups.join("\n\n")}\n`);
  writeFileSync(join(dir, "exams/demo.toml"), `code = "demo"
title = "Demo exam of every item type"
credential = "None"
level = "demo"
passing_score = 700
max_score = 1000
open_book = true

[price]
amount = 0
currency = "USD"

[duration]
minutes = 30

[questions]
min = 9
max = 9

[[outlines]]
date = 2026-01-01

[[outlines.domains]]
id = "all"
title = "Every item type"
weight_min = 100
weight_max = 100
groups = [ { title = "Basics", objectives = [ { id = "basics", title = "The item types" } ] } ]
`);
}

async function startServer(bankDir, dataDir) {
  const port = 18300 + Math.floor(Math.random() * 500);
  const child = spawn(bin, ["--bank", bankDir, "serve", "--bind", `127.0.0.1:${port}`], {
    env: { ...process.env, CERTPREP_DATA_DIR: dataDir },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try { if ((await fetch(`${base}/healthz`)).ok) return { child, base }; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill("SIGKILL");
  throw new Error("the server did not start");
}

async function audit(page, name) {
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
  await page.addScriptTag({ path: axePath });
  const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ["violations"] }));
  const serious = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  for (const v of serious) console.error(`  axe ${v.impact} on ${name}: ${v.id}: ${v.help} (${v.nodes.length} nodes)`);
  check(serious.length === 0, `${name}: ${serious.length} serious or critical accessibility violations`);
}

/// Answers the item on the page through its controls, whatever its type.
async function answerItem(page, dragged) {
  const kind = await page.locator("h1").innerText();
  if (kind.includes("build list") && !dragged.done) {
    // Mouse: drag the third action onto position 1; keyboard and selects do the rest.
    await page.locator("[data-drag-source]").nth(2).dragTo(page.locator("[data-drop-select='pos1']"));
    check((await page.locator("#pos1").inputValue()) !== "", "dragging an action onto position 1 fills it");
    dragged.done = true;
  }
  // Selects: a different choice in each where possible (a build list takes each action once).
  const selects = await page.locator("form[action$='/answer'] select").all();
  const used = new Set();
  for (const select of selects) used.add(await select.inputValue());
  for (const select of selects) {
    if ((await select.inputValue()) === "") {
      const values = await select.locator("option").evaluateAll((os) => os.map((o) => o.value).filter((v) => v));
      const value = values.find((v) => !used.has(v)) ?? values[0];
      used.add(value);
      await select.selectOption(value);
    }
  }
  for (const fieldset of await page.locator("form[action$='/answer'] fieldset").all()) {
    const radios = fieldset.locator("input[type=radio]");
    if ((await radios.count()) > 0) await radios.first().check();
    const boxes = fieldset.locator("input[type=checkbox]");
    if ((await boxes.count()) > 1) { await boxes.nth(0).check(); await boxes.nth(1).check(); }
  }
  // Keyboard: focus the save button and press Enter.
  await page.locator("form[action$='/answer'] button[type=submit]").focus();
  await Promise.all([page.waitForURL(/\/s\//), page.keyboard.press("Enter")]);
  const status = await page.locator("[role=status]").innerText();
  check(status.includes("Saved"), `the answer to "${kind}" is saved (${status})`);
  return kind.split(": ")[1];
}

async function main() {
  if (!existsSync(browserPath)) throw new Error(`no browser at ${browserPath}: install Debian's chromium`);
  const work = mkdtempSync(join(tmpdir(), "certprep-e2e-"));
  const bankDir = join(work, "bank");
  writeFixture(bankDir);
  const { child, base } = await startServer(bankDir, join(work, "data"));
  const browser = await chromium.launch({
    executablePath: browserPath,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  try {
    // bypassCSP only lets the test inject axe-core; the pages themselves need no inline script.
    const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1024, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${base}/signup`);
    await audit(page, "01-signup");
    await page.fill("#email", "e2e@example.com");
    await page.fill("#password", "a long enough password");
    await Promise.all([page.waitForURL(`${base}/`), page.click("button[type=submit]")]);
    await audit(page, "02-home");
    await page.selectOption("#exam", "demo");
    await page.selectOption("#mode", "exam");
    await Promise.all([page.waitForURL(/\/s\//), page.click("form[action='/practice'] button[type=submit]")]);
    const seen = new Set();
    const dragged = { done: false };
    for (let i = 0; i < 12; i++) {
      await audit(page, `03-item-${i + 1}`);
      seen.add(await answerItem(page, dragged));
      const next = page.locator("button:has-text('Next →')");
      if ((await next.count()) === 0) break;
      if (i === 2) {
        await page.click("a:has-text('Review screen')");
        await audit(page, "04-review");
        await page.goBack();
      }
      await Promise.all([page.waitForURL(/\/s\//), next.click()]);
    }
    const types = [...seen].sort();
    console.log(`item types answered: ${types.join(", ")}`);
    check(types.length === 7, `all seven item types were answered (${types.join(", ")})`);
    await Promise.all([page.waitForURL(/results/), page.click("button[value=submit]")]);
    check((await page.locator("h1").innerText()).includes("of 1000"), "the results page shows the scaled score");
    check((await page.locator("svg").count()) >= 1, "the results page has its chart");
    await audit(page, "05-results");
    await page.click("a[href$='/answers/1']");
    check((await page.content()).includes("Your answer:"), "after submission each answer is shown with its key");
    await audit(page, "05-answer-1");
    await page.goto(`${base}/history`);
    check((await page.locator("svg polyline").count()) === 1, "the history page has the score trend");
    await audit(page, "06-history");
    await page.goto(`${base}/readiness/demo`);
    check((await page.content()).includes("Pass probability"), "the readiness page states the pass probability");
    await audit(page, "06-readiness");
    await page.goto(`${base}/review`);
    await audit(page, "06-review-queue");
    // The first account is the server's admin, so it may see the item analysis.
    await page.goto(`${base}/bank/health`);
    check((await page.content()).includes("facility") || (await page.content()).includes("Facility"), "bank health lists item statistics");
    await audit(page, "06-bank-health");
    await page.goto(`${base}/exams`);
    await audit(page, "07-exams");
    await page.goto(`${base}/teams`);
    await page.fill("#name", "E2E guild");
    await Promise.all([page.waitForURL(/\/teams\/.+/), page.click("form[action='/teams'] button[type=submit]")]);
    check((await page.content()).includes("e2e@example.com"), "the team page lists its instructor");
    await audit(page, "08-team");
    await page.click("button:has-text('Sign out')");
    await page.goto(`${base}/signin`);
    await audit(page, "09-signin");
  } finally {
    await browser.close();
    child.kill("SIGKILL");
  }
}

main()
  .catch((e) => { failed++; console.error(e); })
  .finally(() => {
    console.log(`${passed} passed, ${failed} failed`);
    process.exit(failed === 0 ? 0 : 1);
  });
