// Reads certprep's exports with independent implementations from npm, and prints what they
// understood as JSON on stdout, for `crates/certprep/tests/interchange_peers.rs` to compare
// with the bank:
//
//   node e2e/interchange/check.mjs FILE.gift DIR_OF_UNZIPPED_QTI_PACKAGE
//
// GIFT: gift-pegjs (the PEG.js grammar of Moodle GIFT used by several GIFT tools) parses the
// file; per question its type, title, stem text and choices (text, isCorrect, weight,
// feedback), true/false answer or matching pairs.
//
// QTI 3.0: @citolab/qti-components (Cito's QTI 3 player: custom elements for every QTI 3
// element, response processing with the standard templates) loads each item that
// imsmanifest.xml lists, in a DOM from happy-dom (no browser). Per item: its identifier, its
// interactions (type, response identifier, choice identifiers), its response declarations as
// the player registered them (cardinality, base type, correct response, mapping), the QTI
// elements the player does not know, and the scores its response processing gives to the
// declared correct response and to no response. The test the manifest names is read with the
// player's test transformer, for its item references.

import fs from 'node:fs';
import path from 'node:path';
import { Window } from 'happy-dom';
import gift from 'gift-pegjs';

const [giftFile, qtiDir] = process.argv.slice(2);
if (!giftFile || !qtiDir) {
  console.error('usage: node check.mjs FILE.gift DIR_OF_UNZIPPED_QTI_PACKAGE');
  process.exit(2);
}

// gift-pegjs 1.0.2 stands in `&&058;` for an escaped `\:` (and so on) while it parses, and
// turns them back everywhere but in a matching question's answers (`-> b\: c` comes out as
// `b&&058; c`). Its own table turns them back here; `subanswerAsParsed` keeps what it gave.
const PEG_ESCAPES = { '&&092;': '\\', '&&058;': ':', '&&035;': '#', '&&061;': '=', '&&123;': '{', '&&125;': '}', '&&126;': '~', '&&010': '\n' };
const unescapeSubanswer = (t) => (typeof t === 'string' ? t.replace(/&&(092|058|035|061|123|125|126);|&&010/g, (m) => PEG_ESCAPES[m]) : t);

const text = (t) => (t == null ? null : typeof t === 'string' ? t : t.text);

function giftQuestions(file) {
  const source = fs.readFileSync(file, 'utf8');
  let parsed;
  try {
    parsed = gift.parse(source);
  } catch (e) {
    const where = e.location ? ` at ${e.location.start.line}:${e.location.start.column}` : '';
    return { error: `${e.message}${where}`, questions: [] };
  }
  const questions = [];
  let categories = 0;
  for (const q of parsed) {
    if (q.type === 'Category') {
      categories += 1;
      continue;
    }
    const out = { type: q.type, title: q.title ?? null, stem: text(q.stem) };
    if (Array.isArray(q.choices)) {
      out.choices = q.choices.map((c) => ({
        text: text(c.text),
        isCorrect: c.isCorrect ?? null,
        weight: c.weight ?? null,
        feedback: text(c.feedback),
      }));
    }
    if (q.type === 'TF') {
      out.isTrue = q.isTrue;
      out.trueFeedback = text(q.trueFeedback);
      out.falseFeedback = text(q.falseFeedback);
    }
    if (Array.isArray(q.matchPairs)) {
      out.pairs = q.matchPairs.map((p) => ({
        subquestion: text(p.subquestion),
        subanswer: unescapeSubanswer(p.subanswer),
        subanswerAsParsed: p.subanswer,
      }));
    }
    out.globalFeedback = text(q.globalFeedback);
    questions.push(out);
  }
  return { error: null, categories, questions };
}

// --- QTI 3.0 through @citolab/qti-components in happy-dom -------------------------------

const window = new Window({
  url: 'http://localhost/',
  settings: { disableJavaScriptFileLoading: true, disableCSSFileLoading: true },
});
for (const key of Object.getOwnPropertyNames(window)) {
  if (!(key in globalThis)) {
    try {
      globalThis[key] = window[key];
    } catch {
      // read-only globals of Node stay as they are
    }
  }
}
for (const key of ['window', 'document', 'customElements', 'HTMLElement', 'Element', 'Node', 'DOMParser',
  'XMLSerializer', 'CustomEvent', 'Event', 'EventTarget', 'MutationObserver', 'DocumentFragment', 'ShadowRoot',
  'CSSStyleSheet', 'requestAnimationFrame', 'getComputedStyle']) {
  globalThis[key] = key === 'window' ? window : window[key];
}
// happy-dom has no ElementInternals: the player's interactions only report form values and
// validity through it, which this check does not use.
if (!window.HTMLElement.prototype.attachInternals) {
  window.HTMLElement.prototype.attachInternals = function attachInternals() {
    return {
      states: new Set(),
      role: null,
      validationMessage: '',
      validity: { valid: true },
      setFormValue() {},
      setValidity(flags = {}, message = '') {
        this.validity = { valid: !Object.values(flags).some(Boolean), ...flags };
        this.validationMessage = message;
      },
      checkValidity() {
        return this.validity.valid;
      },
      reportValidity() {
        return this.validity.valid;
      },
    };
  };
}
// The player logs its own diagnostics to the console: keep stdout for the JSON, and its
// warnings and errors with the item they came from.
const logged = [];
for (const level of ['log', 'info', 'debug']) console[level] = () => {};
for (const level of ['warn', 'error']) {
  console[level] = (...args) => logged.push(`${level}: ${args.map(String).join(' ')}`.slice(0, 500));
}

await import('@citolab/qti-components');
const { qtiTransformItem, qtiTransformTest } = await import('@citolab/qti-components/qti-transformers');
// The player's Observable polyfill adds `when` to the global EventTarget; happy-dom's nodes
// derive from its own base class, which gets the same method.
{
  let base = window.document;
  while (Object.getPrototypeOf(base) && Object.getPrototypeOf(base) !== Object.prototype) base = Object.getPrototypeOf(base);
  if (!base.when && EventTarget.prototype.when) base.when = EventTarget.prototype.when;
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

function xmlDocument(source) {
  const doc = new window.DOMParser().parseFromString(source, 'text/xml');
  const error = doc.querySelector('parsererror');
  if (error) throw new Error(`not well-formed XML: ${error.textContent.trim().slice(0, 300)}`);
  return doc;
}

function manifestResources(dir) {
  const doc = xmlDocument(fs.readFileSync(path.join(dir, 'imsmanifest.xml'), 'utf8'));
  return [...doc.getElementsByTagName('resource')].map((r) => ({
    identifier: r.getAttribute('identifier'),
    type: r.getAttribute('type') ?? '',
    href: r.getAttribute('href') ?? '',
  }));
}

async function settle(element) {
  for (let i = 0; i < 5; i += 1) {
    await tick();
    const pending = [element, ...element.querySelectorAll('*')]
      .filter((e) => e.updateComplete)
      .map((e) => e.updateComplete);
    await Promise.all(pending);
  }
}

const sorted = (v) => (Array.isArray(v) ? [...v].sort() : v);

async function loadItem(resource, dir) {
  const file = path.join(dir, resource.href);
  const out = { resource: resource.identifier, href: resource.href };
  const before = logged.length;
  try {
    const source = fs.readFileSync(file, 'utf8');
    xmlDocument(source);
    const fragment = qtiTransformItem().parse(source).htmlDoc();
    const item = fragment.querySelector('qti-assessment-item');
    if (!item) throw new Error('no qti-assessment-item element');
    // Connect the item before its content, so it hears its declarations register.
    const children = [...item.childNodes];
    for (const child of children) item.removeChild(child);
    document.body.appendChild(item);
    for (const child of children) item.appendChild(child);
    await settle(item);

    out.identifier = item.identifier;
    out.title = item.getAttribute('title');
    out.playerElement = item.constructor.name;
    out.unknownElements = [
      ...new Set(
        [...item.querySelectorAll('*')]
          // Declarations read their values, mappings and defaults as data, and a match
          // interaction its two qti-simple-match-set lists: not elements of their own.
          .filter((e) => !e.closest('qti-response-declaration, qti-outcome-declaration, qti-template-declaration'))
          .filter((e) => !(e.tagName.toLowerCase() === 'qti-simple-match-set' && e.parentElement?.tagName.toLowerCase() === 'qti-match-interaction'))
          .map((e) => e.tagName.toLowerCase())
          .filter((tag) => tag.startsWith('qti-') && !customElements.get(tag)),
      ),
    ];
    out.interactions = [...item.querySelectorAll('*')]
      .filter((e) => e.tagName.toLowerCase().endsWith('-interaction'))
      .map((e) => ({
        type: e.tagName.toLowerCase(),
        element: e.constructor.name,
        responseIdentifier: e.getAttribute('response-identifier'),
        maxChoices: e.getAttribute('max-choices'),
        choices: [...e.querySelectorAll('[identifier]')]
          .filter((c) => /^qti-(simple-choice|simple-associable-choice|inline-choice|gap-text|gap-img|hotspot-choice|associable-hotspot)$/.test(c.tagName.toLowerCase()))
          .map((c) => ({ identifier: c.getAttribute('identifier'), element: c.tagName.toLowerCase() })),
      }));
    const variables = item._context?.variables ?? [];
    const responses = variables.filter((v) => v.type === 'response' && v.identifier !== 'numAttempts');
    out.responses = responses.map((v) => ({
      identifier: v.identifier,
      cardinality: v.cardinality,
      baseType: v.baseType,
      correctResponse: v.correctResponse ?? null,
      mapping: (v.mapping?.mapEntries ?? []).map((e) => ({ key: e.mapKey, value: e.mappedValue })),
    }));
    const score = () => {
      const value = item.getOutcome('SCORE')?.value;
      return value == null ? null : Number(value);
    };
    out.maxScore = Number(item.getOutcome('MAXSCORE')?.value ?? NaN);
    // The player's response processing, given the declared correct response, then nothing.
    for (const r of responses) item.updateResponseVariable(r.identifier, r.correctResponse ?? undefined);
    item.processResponse(false, false);
    out.scoreWithCorrect = score();
    for (const r of responses) item.updateResponseVariable(r.identifier, r.cardinality === 'single' ? undefined : []);
    item.processResponse(false, false);
    out.scoreWithNone = score();
    // And each interaction's correct response in another order (QTI compares multiple
    // responses as sets, ordered ones as sequences).
    for (const r of responses) {
      const reordered = Array.isArray(r.correctResponse) ? [...r.correctResponse].reverse() : r.correctResponse;
      item.updateResponseVariable(r.identifier, reordered ?? undefined);
    }
    item.processResponse(false, false);
    out.scoreWithCorrectReversed = score();
    out.error = null;
    item.remove();
  } catch (e) {
    out.error = String(e && e.stack ? e.stack.split('\n').slice(0, 3).join(' | ') : e);
  }
  out.log = logged.slice(before);
  document.body.innerHTML = '';
  return out;
}

function testItems(resource, dir) {
  try {
    const source = fs.readFileSync(path.join(dir, resource.href), 'utf8');
    xmlDocument(source);
    const test = qtiTransformTest().parse(source);
    return { href: resource.href, items: test.items().map((i) => ({ identifier: i.identifier, href: i.href })), error: null };
  } catch (e) {
    return { href: resource.href, items: [], error: String(e) };
  }
}

const started = Date.now();
const giftResult = giftQuestions(giftFile);
const giftMs = Date.now() - started;

const qtiStarted = Date.now();
let qti;
try {
  const resources = manifestResources(qtiDir);
  const itemResources = resources.filter((r) => r.type.startsWith('imsqti_item_xmlv3p0'));
  const items = [];
  for (const r of itemResources) items.push(await loadItem(r, qtiDir));
  const tests = resources.filter((r) => r.type.startsWith('imsqti_test_xmlv3p0')).map((r) => testItems(r, qtiDir));
  qti = {
    error: null,
    resourceTypes: [...new Set(resources.map((r) => r.type))],
    items,
    tests,
  };
} catch (e) {
  qti = { error: String(e), items: [], tests: [] };
}
const qtiMs = Date.now() - qtiStarted;

const versions = (name) => JSON.parse(fs.readFileSync(new URL(`../node_modules/${name}/package.json`, import.meta.url))).version;
const report = `${JSON.stringify({
    implementations: {
      'gift-pegjs': versions('gift-pegjs'),
      '@citolab/qti-components': versions('@citolab/qti-components'),
      'happy-dom': versions('happy-dom'),
    },
    millis: { gift: giftMs, qti: qtiMs },
    gift: giftResult,
    qti,
  })}\n`;
// Written whole before exiting: a pipe takes stdout asynchronously.
await new Promise((resolve) => process.stdout.write(report, resolve));
await window.happyDOM.abort();
window.close();
process.exit(0);
