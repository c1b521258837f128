// Browser end-to-end test: headless Chromium (Debian's, never downloaded) drives the real
// `certprep serve` as candidates would, at desktop (1280×800) and phone (390×844) sizes, in the
// light and the dark theme, with and without JavaScript:
//
// - a mock exam of every item type answered through its controls, moving only with Next (the
//   answer must be saved without a separate save button), save on change, the limits applied at
//   the moment of choosing, the build list and drag and drop, strike-out and a shortcut;
// - the warning before a section locks, the case study's introduction, the review screen with
//   the locked section summarised, the confirmation before finishing, results, answer review;
// - without JavaScript: a selection followed by Next is saved; an expired form keeps the answer;
// - history, readiness, reviews, bank health, exams, teams, sign-in.
//
// Every page is screenshotted into e2e/artifacts/ and checked: axe-core finds no serious or
// critical violation, the page is no wider than the viewport, and no Markdown backtick reaches
// the rendered text.
//
// Usage: node e2e/run.mjs   (CERTPREP_BIN overrides the binary, CHROMIUM the browser)

import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
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
rmSync(artifacts, { recursive: true, force: true });
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

/// Screenshot, axe, width and backticks: what every page must pass.
async function audit(page, name, { axe = true } = {}) {
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
  const { width, scrollWidth, ticks } = await page.evaluate(() => ({
    width: window.innerWidth,
    scrollWidth: document.documentElement.scrollWidth,
    ticks: (document.body.innerText.match(/`/g) || []).length,
  }));
  check(scrollWidth <= width, `${name}: the page is ${scrollWidth} px wide in a ${width} px viewport`);
  check(ticks === 0, `${name}: ${ticks} Markdown backtick(s) in the rendered text`);
  // Without JavaScript axe cannot run; the same pages are audited with it elsewhere.
  if (!axe) return;
  await page.addScriptTag({ path: axePath });
  const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ["violations"] }));
  const serious = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  for (const v of serious) console.error(`  axe ${v.impact} on ${name}: ${v.id}: ${v.help} (${v.nodes.length} nodes: ${v.nodes.slice(0, 2).map((n) => n.target).join(" | ")})`);
  check(serious.length === 0, `${name}: ${serious.length} serious or critical accessibility violations`);
}

async function kindOf(page) {
  return (await page.locator("h1 .qtype").innerText()).trim();
}

/// Answers the item on the page through its controls (JavaScript on), whatever its type.
async function answerItem(page) {
  const kind = await kindOf(page);
  if (kind === "single choice" || kind === "yes/no series") {
    await page.locator("#item-form input[type=radio]:not([name=confidence])").first().check();
  } else if (kind === "multiple response") {
    const n = Number(await page.locator("fieldset.choices").getAttribute("data-choose"));
    const boxes = page.locator("fieldset.choices input[type=checkbox]");
    for (let i = 0; i < n; i++) await boxes.nth(i).check();
    const disabled = await boxes.nth(n).isDisabled();
    check(disabled, "multiple response: once N options are chosen, the others cannot be ticked");
  } else if (kind === "build list") {
    const places = Number(await page.locator("fieldset.buildlist").getAttribute("data-places"));
    // One action by drag and drop, the others with the Add buttons.
    await page.locator(".bl-actions [data-action]").nth(2).dragTo(page.locator(".answer-pane"));
    while ((await page.locator(".bl-chosen li").count()) < places) {
      await page.locator(".bl-add:visible").first().click();
    }
    const visible = await page.locator(".bl-actions [data-action]:visible").count();
    const total = await page.locator(".bl-actions [data-action]").count();
    check(visible === total - places, `build list: chosen actions leave the source list (${visible} of ${total} left)`);
    check(await page.locator(".bl-add:visible").first().isDisabled(), "build list: no more actions than asked can be added");
    await page.locator(".bl-chosen button[aria-label^='Move down']").first().click();
  } else if (kind === "drag and drop") {
    const selects = page.locator(".target select");
    await page.locator("[data-source]").first().dragTo(page.locator("[data-drop]").first());
    check((await selects.first().inputValue()) !== "", "drag and drop: dropping a source fills the target");
    const reuse = (await page.locator("fieldset.dnd").getAttribute("data-reuse")) === "yes";
    const used = await selects.first().inputValue();
    if (!reuse) {
      const taken = await selects.nth(1).locator(`option[value="${used}"]`).isDisabled();
      check(taken, "drag and drop: a source used once cannot be used again");
    }
    for (let i = 1; i < (await selects.count()); i++) {
      const free = await selects.nth(i).locator("option:not([disabled])").evaluateAll((os) => os.map((o) => o.value).filter((v) => v));
      await selects.nth(i).selectOption(free[0]);
    }
  } else if (kind === "dropdown / hot area") {
    const selects = page.locator(".stem select.inline");
    check((await selects.count()) >= 1, "drop-downs sit inline in the text");
    for (const select of await selects.all()) {
      const values = await select.locator("option").evaluateAll((os) => os.map((o) => o.value).filter((v) => v));
      await select.selectOption(values[0]);
    }
  } else if (kind === "yes/no statements") {
    for (const set of await page.locator("fieldset.statement").all()) await set.locator("input").first().check();
  }
  // Saved as soon as it changed, without a save button.
  await page.locator("[data-save-status]").filter({ hasText: "Saved." }).waitFor({ timeout: 5000 });
  return kind;
}

async function clickAndWait(page, locator) {
  await Promise.all([page.waitForLoadState("load"), page.waitForURL(() => true), locator.click()]);
  await page.waitForLoadState("load");
}

/// Signs up, which answers the same whether the email was free or not, then signs in.
async function signUp(page, base, email) {
  await page.goto(`${base}/signup`);
  await page.fill("#email", email);
  await page.fill("#password", "a long enough password");
  await Promise.all([page.waitForURL(/\/signin\?m=registered$/), page.click("button[type=submit]")]);
  check((await page.locator("main").innerText()).includes("sign in with it"), "a sign-up says to sign in, whatever the email");
  await signIn(page, base, email);
}

async function signIn(page, base, email) {
  await page.goto(`${base}/signin`);
  await page.fill("#email", email);
  await page.fill("#password", "a long enough password");
  await Promise.all([page.waitForURL(`${base}/`), page.click("button[type=submit]")]);
}

async function startSession(page, mode) {
  await page.selectOption("#exam", "demo");
  await page.selectOption("#mode", mode);
  await Promise.all([page.waitForURL(/\/s\/.+\/i\/\d+/), page.click("form[action='/practice'] button[type=submit]")]);
}

/// The exam at desktop size with JavaScript: every type, the rules' pages, the results.
async function desktopExam(page, base) {
  await page.goto(`${base}/`);
  await audit(page, "desktop-02-home");
  await startSession(page, "exam");
  const seen = new Set();
  let sawWarning = false;
  let markedAt = null;
  for (let i = 0; i < 14; i++) {
    const url = page.url();
    if (/\/leave\?to=/.test(url)) {
      sawWarning = true;
      const text = await page.locator("main").innerText();
      check(/cannot return/.test(text) && /unanswered/.test(text) && /marked for review/.test(text), "the section warning states what locks, with unanswered and marked counts");
      check(await page.locator("a:has-text('Return to question')").count() === 1, "the section warning offers a way back");
      await audit(page, "desktop-04-leave-section");
      await clickAndWait(page, page.locator("form[action$='/leave'] button"));
      if (/\/case\//.test(page.url())) {
        await audit(page, "desktop-05-case-intro");
        await clickAndWait(page, page.locator("a:has-text('Start the case study')"));
      }
      continue;
    }
    if (/\/review/.test(url)) break;
    const kind = await answerItem(page);
    seen.add(kind);
    await audit(page, `desktop-03-item-${i + 1}-${kind.replace(/[^a-z]+/g, "-")}`);
    const markNow = markedAt === null && kind !== "yes/no series";
    if (markNow) {
      markedAt = page.url();
      // Mark it for review with the keyboard shortcut, and strike out an option.
      await page.locator("h1").click();
      await page.keyboard.press("m");
      await page.locator("[data-save-status]").filter({ hasText: "Saved." }).waitFor();
      const strike = page.locator("button.strike").nth(1);
      if (await strike.count()) {
        await strike.click();
        check(await page.locator(".option.struck").count() === 1, "an option can be struck out");
      }
      // The grid is reachable from every item; Back works because each item has its address.
      check(await page.locator("details.grid .cell").count() >= 8, "the item grid lists every question");
    }
    const next = page.locator("#item-form .nav button[value=next]");
    if (await next.count()) {
      await clickAndWait(page, next);
    } else {
      await clickAndWait(page, page.locator("#item-form .nav button[value=review]").first());
    }
    if (markNow) {
      // The browser's Back returns to that question, still answered and marked.
      await page.goBack();
      await page.waitForLoadState("load");
      check(page.url() === markedAt, `Back returns to the previous question (${page.url()})`);
      check(await page.locator("input[name=review_later]").isChecked(), "the review-later mark was saved");
      const holds = await page.evaluate(() => {
        const inputs = [...document.querySelectorAll("#item-form input:checked")].filter((i) => i.name !== "confidence" && i.name !== "review_later");
        const selects = [...document.querySelectorAll("#item-form select")].filter((s) => s.value);
        return inputs.length + selects.length;
      });
      check(holds >= 1, "the previous question still holds its answer after Next and Back");
      await page.goForward();
      await page.waitForLoadState("load");
    }
  }
  console.log(`item types answered: ${[...seen].sort().join(", ")}`);
  check(seen.size === 7, `all seven item types were answered (${[...seen].join(", ")})`);
  check(sawWarning, "leaving the standalone section for the case study showed the warning");
  // The review screen: the case study's questions, the locked section summarised.
  if (!/\/review/.test(page.url())) await page.goto(page.url().replace(/\/i\/\d+.*/, "/review"));
  const review = await page.locator("main").innerText();
  check(/Review your answers/.test(review) && /locked/.test(review), "the review screen summarises the locked section");
  await audit(page, "desktop-06-review");
  await clickAndWait(page, page.locator("a[href$='/submit']"));
  const confirm = await page.locator("main").innerText();
  check(/unanswered/.test(confirm) && /marked for review/.test(confirm), "finishing asks first, with unanswered and marked counts");
  await audit(page, "desktop-07-finish");
  await clickAndWait(page, page.locator("form[action$='/submit'] button"));
  check(/\/results$/.test(page.url()), "finishing shows the results");
  check((await page.locator("h1").innerText()).includes("of 1000"), "the results page shows the scaled score");
  await audit(page, "desktop-08-results");
  await clickAndWait(page, page.locator("a[href$='/answers/1']"));
  check((await page.locator("main").innerText()).includes("Submitted"), "after submission an item shows the submitted answer");
  check(await page.locator("#item-form").count() === 0, "after submission no live form is shown");
  await audit(page, "desktop-09-answer");
}

/// From a checked answer: the report form, the reporter's list, and (the e2e user is the
/// server's first account, an admin) the queue where it is resolved; then back to the question.
async function reportAProblem(page, prefix) {
  const question = page.url().replace(/#.*$/, "");
  const link = page.locator("a[href^='/disputes/new']");
  check(await link.count() === 1, "a checked answer offers to report a problem");
  await clickAndWait(page, link);
  await audit(page, `${prefix}-report-form`);
  await page.locator("input[name=kind][value=ambiguous]").check();
  await page.fill("#note", `Two options fit the scenario (${prefix})`);
  await clickAndWait(page, page.locator("form[action='/disputes'] button[type=submit]"));
  const mine = await page.locator("main").innerText();
  check(/filed\. An author will answer it here/.test(mine) && mine.includes(`Two options fit the scenario (${prefix})`), "a report is filed and listed for its reporter");
  const form = page.locator("section.report").filter({ hasText: `(${prefix})` }).locator("form");
  await form.locator("select").selectOption("rejected");
  await form.locator("textarea").fill(`Only one option keeps the key out of the code (${prefix})`);
  await clickAndWait(page, form.locator("button[type=submit]"));
  const after = await page.locator("main").innerText();
  check(/resolved as rejected/.test(after) && after.includes(`Only one option keeps the key out of the code (${prefix})`), "an admin resolves it and the reporter reads the answer");
  await audit(page, `${prefix}-disputes`);
  await page.goto(question);
}

/// Per choice item met in a study session: whether its options were shown out of written order.
const optionOrders = [];

/// The written order of an item's options in the spec's examples: the first words of each.
function writtenOptions(itemId) {
  const spec = readFileSync(join(root, "docs/bank-format.md"), "utf8");
  const at = spec.indexOf(`## Item: ${itemId}\n`);
  if (at < 0) return [];
  const rest = spec.slice(at + 1);
  const end = rest.search(/\n## Item: |\n# |\n````/);
  const block = end < 0 ? rest : rest.slice(0, end);
  const options = block.split("\n### Options\n")[1] || "";
  return options.split("\n### ")[0].split("\n")
    .map((l) => l.match(/^- \[[ x]\] [A-Z]\. (.*)$/))
    .filter(Boolean)
    .map((m) => firstWords(m[1]));
}

function firstWords(text) {
  return text.replace(/[`*_]/g, "").trim().slice(0, 24);
}

/// Whether the page shows a choice item's options in another order than written.
async function optionsMoved(page) {
  const id = await page.locator("#item-form input[name=item]").inputValue();
  const written = writtenOptions(id);
  if (written.length < 2) return null;
  const letters = await page.locator("#item-form .option .letter").allInnerTexts();
  check(letters.join("") === "ABCDEFGH".slice(0, letters.length).split("").map((l) => `${l}.`).join(""), `the options of ${id} are lettered A, B, C… as shown (${letters.join(" ")})`);
  const shown = (await page.locator("#item-form .option .text").allInnerTexts()).map(firstWords);
  return shown.join("|") !== written.join("|");
}

/// A study session: checking moves to the result, each choice is marked in place.
async function studyFeedback(page, base, prefix) {
  await page.goto(`${base}/`);
  await startSession(page, "study");
  for (let i = 0; i < 9; i++) {
    const kind = await kindOf(page);
    if (kind === "single choice" || kind === "multiple response") {
      const m = await optionsMoved(page);
      if (m !== null) optionOrders.push(m);
      if (m) await audit(page, `${prefix}-shuffled-options`);
    }
    await answerItem(page);
    await clickAndWait(page, page.locator("#item-form .nav button[value=check]"));
    check(/#result$/.test(page.url()), `checking a ${kind} moves to the result`);
    const focused = await page.evaluate(() => document.activeElement && document.activeElement.id);
    check(focused === "result", `the result of a ${kind} has the focus (${focused})`);
    const marks = await page.locator(".mark, .parts tbody tr").count();
    check(marks >= 1, `the feedback of a ${kind} marks the answer in place`);
    await audit(page, `${prefix}-study-${i + 1}-${kind.replace(/[^a-z]+/g, "-")}`);
    if (i === 0) await reportAProblem(page, prefix);
    const next = page.locator("#item-form .nav button[value=next]");
    if (!(await next.count())) break;
    await clickAndWait(page, next);
  }
  await page.goto(page.url().replace(/\/i\/\d+.*/, "/submit"));
  await clickAndWait(page, page.locator("form[action$='/submit'] button"));
  check((await page.locator("h1").innerText()).includes("Practice score"), "a study session shows a practice score, not a scaled verdict");
  await audit(page, `${prefix}-study-results`);
}

/// Without JavaScript: Next saves the selection; an expired form keeps the answer.
async function withoutJavaScript(browser, base) {
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await signIn(page, base, "e2e@example.com");
  await startSession(page, "exam");
  // A question that can be revisited (a yes/no series question cannot, once answered).
  while ((await kindOf(page)) === "yes/no series") {
    const seriesUrl = page.url();
    await page.locator("#item-form fieldset.statement input").first().check();
    await clickAndWait(page, page.locator("#item-form .nav button[value=next]"));
    // Going back to it shows the next question with the reason instead.
    await page.goto(seriesUrl);
    const status = await page.locator("p.notice[role=status]").first().innerText();
    check(/cannot be revisited/.test(status), `without JavaScript, an answered series question is final (${status})`);
    await page.goto(page.url().replace(/\?.*$/, ""));
  }
  const first = page.url();
  const kind = await kindOf(page);
  const radio = page.locator("#item-form .choices input, #item-form fieldset.statement input").first();
  let what = "";
  if (await radio.count()) {
    await radio.check();
    what = await radio.getAttribute("value");
  } else {
    const select = page.locator("#item-form select").first();
    const values = await select.locator("option").evaluateAll((os) => os.map((o) => o.value).filter((v) => v));
    await select.selectOption(values[0]);
    what = values[0];
  }
  await clickAndWait(page, page.locator("#item-form .nav button[value=next]"));
  await page.goto(first);
  const kept = (await page.locator(`#item-form input[value="${what}"]:checked`).count()) + (await page.locator(`#item-form option[value="${what}"][selected]`).count());
  check(kept >= 1, `without JavaScript, a ${kind} selection followed by Next is saved`);
  await audit(page, "nojs-01-item", { axe: false });
  // A stale form (its token no longer valid): the page says so and shows the answer chosen.
  await page.evaluate(() => { document.querySelector("#item-form input[name=csrf]").value = "stale"; });
  const input = page.locator("#item-form .choices input, #item-form fieldset.statement input").nth(1);
  if (await input.count()) {
    await input.check();
  } else {
    const select = page.locator("#item-form select").last();
    const values = await select.locator("option").evaluateAll((os) => os.map((o) => o.value).filter((v) => v));
    await select.selectOption(values[values.length - 1]);
  }
  await clickAndWait(page, page.locator("#item-form .nav button[value=next]"));
  const text = await page.locator("main").innerText();
  check(/not saved/.test(text) && /The answer you chose/.test(text), `an expired form explains what happened in a page and keeps the answer: ${text.slice(0, 300)}`);
  check(!text.trim().startsWith("{"), "an expired form is not raw JSON");
  await audit(page, "nojs-02-expired-form", { axe: false });
  await context.close();
}

/// Every other page at one size.
async function otherPages(page, base, prefix) {
  for (const [path, name] of [["/history", "history"], ["/readiness/demo", "readiness"], ["/review", "reviews"], ["/bank/health", "bank-health"], ["/exams", "exams"], ["/teams", "teams"]]) {
    await page.goto(`${base}${path}`);
    await audit(page, `${prefix}-${name}`);
  }
  await advisorPages(page, base, prefix);
}

/// Is it worth it: the advice for a profile, AI-102's carry-over, a study plan with its
/// calendar file, and a real result with its renewal.
async function advisorPages(page, base, prefix) {
  await page.goto(`${base}/advise?exam=ai-103`);
  await page.selectOption("#role", "cloud-engineer");
  await page.fill("#years", "4");
  for (const f of ["software", "cloud", "data"]) await page.locator(`input[name=foundation][value=${f}]`).check();
  await page.selectOption("#employer_cloud", "azure");
  await page.selectOption("#partner", "yes");
  await page.fill("#hours_per_week", "8");
  await page.fill("#budget", "500");
  await clickAndWait(page, page.locator("form[action='/advise'] button[type=submit]"));
  const advice = await page.locator("main").innerText();
  check(/Go ahead/i.test(advice) && advice.includes("Solutions Partner designations"), `${prefix}: the advice gives a verdict with its reasons`);
  check(advice.includes("US$255–US$525") && /unverified/.test(advice), `${prefix}: the cost is a range with unverified figures labelled`);
  check(advice.includes("80–115 hours"), `${prefix}: the hours narrow by the profile`);
  await audit(page, `${prefix}-advise`);
  await page.goto(`${base}/advise?exam=ai-102`);
  const old = await page.locator("main").innerText();
  check(old.includes("retired on 2026-06-30") && /carries over to AI-103/.test(old), `${prefix}: AI-102's advice says it retired and what carries over`);
  await audit(page, `${prefix}-advise-ai102`);
  await page.goto(`${base}/plan/ai-103`);
  const day = new Date(Date.now() + 70 * 86400000).toISOString().slice(0, 10);
  await page.fill("#date", day);
  await page.fill("#hours_per_week", "8");
  await clickAndWait(page, page.locator("form[action='/plan/ai-103'] button[type=submit]"));
  const plan = await page.locator("main").innerText();
  check(/Week 1/.test(plan) && /Adaptive check/.test(plan) && /mock exam/i.test(plan), `${prefix}: the plan lists weeks with a check and mock exams`);
  check((await page.locator("svg[aria-label='Hours planned and logged per week']").count()) === 1, `${prefix}: the plan has its progress chart`);
  const ics = await page.request.get(`${base}/plan/ai-103/plan.ics`);
  check(ics.ok() && (await ics.text()).startsWith("BEGIN:VCALENDAR"), `${prefix}: the plan downloads as a calendar`);
  await audit(page, `${prefix}-plan`);
  await page.goto(`${base}/results`);
  await page.selectOption("#exam", "ai-103");
  await page.fill("#date", new Date(Date.now() - 86400000).toISOString().slice(0, 10));
  await page.locator("input[name=outcome][value=pass]").check();
  await page.fill("#score", "812");
  await clickAndWait(page, page.locator("form[action='/results'] button[type=submit]"));
  const results = await page.locator("main").innerText();
  check(/Recorded\./.test(results) && /free renewal assessment opens on/.test(results), `${prefix}: a real result shows its renewal`);
  await audit(page, `${prefix}-exam-results`);
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
    const desktop = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 800 } });
    const page = await desktop.newPage();
    await page.goto(`${base}/signup`);
    await audit(page, "desktop-01-signup");
    await signUp(page, base, "e2e@example.com");
    await desktopExam(page, base);
    await studyFeedback(page, base, "desktop");
    await page.goto(`${base}/history`);
    check((await page.locator("svg polyline").count()) >= 1, "the history page has the score trend");
    await otherPages(page, base, "desktop");
    await page.goto(`${base}/teams`);
    await page.fill("#name", "E2E guild");
    await Promise.all([page.waitForURL(/\/teams\/.+/), page.click("form[action='/teams'] button[type=submit]")]);
    check((await page.content()).includes("e2e@example.com"), "the team page lists its instructor");
    await audit(page, "desktop-team");
    await desktop.close();

    // The dark theme, following the system setting.
    const dark = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 800 }, colorScheme: "dark" });
    const darkPage = await dark.newPage();
    await signIn(darkPage, base, "e2e@example.com");
    const background = await darkPage.evaluate(() => getComputedStyle(document.body).backgroundColor);
    check(background !== "rgb(255, 255, 255)", `the dark theme follows the system (${background})`);
    await audit(darkPage, "dark-home");
    await studyFeedback(darkPage, base, "dark");
    await otherPages(darkPage, base, "dark");
    await dark.close();

    // A phone: 390 × 844.
    const phone = await browser.newContext({ bypassCSP: true, viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    const phonePage = await phone.newPage();
    await signIn(phonePage, base, "e2e@example.com");
    await audit(phonePage, "phone-home");
    await studyFeedback(phonePage, base, "phone");
    // Three study sessions: a choice item that kept its written order in all of them would
    // mean no shuffling (each keeps it by chance with probability 1/24).
    check(optionOrders.length >= 3 && optionOrders.some(Boolean), `sessions show choice options in their own order, not as written (${optionOrders.join(", ")})`);
    await phonePage.goto(`${base}/`);
    await startSession(phonePage, "exam");
    for (let i = 0; i < 12; i++) {
      if (/\/leave\?to=/.test(phonePage.url())) {
        await audit(phonePage, "phone-leave-section");
        await clickAndWait(phonePage, phonePage.locator("form[action$='/leave'] button"));
        if (/\/case\//.test(phonePage.url())) {
          await audit(phonePage, "phone-case-intro");
          await clickAndWait(phonePage, phonePage.locator("a:has-text('Start the case study')"));
        }
        continue;
      }
      if (/\/review/.test(phonePage.url())) break;
      const kind = await kindOf(phonePage);
      await audit(phonePage, `phone-item-${i + 1}-${kind.replace(/[^a-z]+/g, "-")}`);
      const next = phonePage.locator("#item-form .nav button[value=next]");
      if (await next.count()) { await clickAndWait(phonePage, next); } else { await clickAndWait(phonePage, phonePage.locator("#item-form .nav button[value=review]").first()); }
    }
    await audit(phonePage, "phone-review");
    await clickAndWait(phonePage, phonePage.locator("a[href$='/submit']"));
    await audit(phonePage, "phone-finish");
    await clickAndWait(phonePage, phonePage.locator("form[action$='/submit'] button"));
    await audit(phonePage, "phone-results");
    await otherPages(phonePage, base, "phone");
    await phone.close();

    await withoutJavaScript(browser, base);
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
