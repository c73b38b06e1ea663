// Shared helpers of the browser tests: the server address and demo logins that
// run.sh passes in (also the automated-call demo centre), the Chromium launch, staff
// login through the login form (one saved session per centre, reused by the test
// files), the patient API calls
// (registration, login, report sync), today's date in Japan, screenshots and a few
// page queries.
'use strict';

const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { chromium } = require('playwright-core');

const BASE_URL = need('MIMAMORI_BASE_URL');
const ARTIFACTS = need('MIMAMORI_ARTIFACTS');
const MAIL_DIR = need('MIMAMORI_MAIL_DIR');
const STATE_DIR = need('MIMAMORI_BROWSER_STATE');
const DEMO_PASSWORD = 'Mimamori-Demo-2026';

function need(name) {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the browser tests through tests/browser/run.sh`);
  return v;
}

/**
 * The demo data as the `demo` command printed it: two centres, each with its admin and
 * its cases; a case with a registered patient has `patient` (e-mail, password, how
 * many reports the demo synced). `centre.patients` lists those cases.
 */
function demo() {
  const centres = [];
  for (const line of fs.readFileSync(need('MIMAMORI_DEMO_FILE'), 'utf8').split('\n')) {
    let m = line.match(/^centre (.+) \(id (\d+)\): admin login (\S+) \/ (\S+)$/);
    if (m) {
      centres.push({ name: m[1], id: Number(m[2]), adminEmail: m[3], password: m[4], adminName: `管理者${centres.length}`, cases: [] });
      continue;
    }
    m = line.match(/^\s+case (\d+) kind (\S+) input ID (\d+)$/);
    if (m) {
      centres.at(-1).cases.push({ id: Number(m[1]), kind: m[2], inputId: m[3] });
      continue;
    }
    m = line.match(/^\s+registered patient (\S+) \/ (\S+) with (\d+) reports?$/);
    if (m) centres.at(-1).cases.at(-1).patient = { email: m[1], password: m[2], reports: Number(m[3]) };
  }
  assert.equal(centres.length, 2, 'the demo prints two centres');
  for (const c of centres) {
    assert.equal(c.password, DEMO_PASSWORD);
    c.patients = c.cases.filter((x) => x.patient);
    assert.ok(c.cases.length >= 2, `demo cases at ${c.name}`);
    assert.ok(c.patients.length >= 1, `a registered demo patient at ${c.name}`);
  }
  centres[0].emergency = '03-0000-0001';
  centres[1].emergency = '03-0000-0002';
  return centres;
}

/**
 * The automated-call demo centre as the `demo` command printed it: `{ name, id,
 * adminEmail, password, people }`, `people` the ids of its cases observed by phone (the
 * simulated provider's demo script picks each one's behaviour from its id's last digit).
 */
function callDemo() {
  let centre = null;
  for (const line of fs.readFileSync(need('MIMAMORI_DEMO_FILE'), 'utf8').split('\n')) {
    const m = line.match(/^automated-call demo centre (.+) \(id (\d+)\): admin (\S+) \/ (\S+)$/);
    if (m) {
      centre = { name: m[1], id: Number(m[2]), adminEmail: m[3], password: m[4], people: [] };
      continue;
    }
    const p = line.match(/^\s+person (\d+) observed by automated call$/);
    if (p && centre) centre.people.push(Number(p[1]));
  }
  assert.ok(centre, 'the demo prints the automated-call centre');
  assert.equal(centre.password, DEMO_PASSWORD);
  assert.equal(centre.people.length, 10, 'ten people observed by phone');
  return centre;
}

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Debian's Chromium, headless, with a fresh profile. */
function launch() {
  return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
}

/** A browser context on the test server, as a laptop in Japan would be. */
function newContext(browser, options = {}) {
  return browser.newContext({
    baseURL: BASE_URL,
    locale: 'ja-JP',
    timezoneId: 'Asia/Tokyo',
    viewport: { width: 1280, height: 900 },
    acceptDownloads: true,
    ...options,
  });
}

/** Fills and sends the login form; resolves once the browser has left /login. */
async function loginThroughForm(page, email, password, path_ = '/login') {
  await page.goto(path_);
  await page.locator('#login input[name=email]').fill(email);
  await page.locator('#login input[name=password]').fill(password);
  await Promise.all([
    page.waitForURL((u) => !u.pathname.startsWith('/login')),
    page.locator('#login button[type=submit]').click(),
  ]);
}

/**
 * A context signed in as the admin of demo centre `centre` (0 or 1). The first call
 * of the whole run logs in through the form and saves the cookies; later calls, in
 * any test file, reuse them (the server throttles logins per account).
 */
async function staffContext(browser, centre) {
  const file = path.join(STATE_DIR, `centre${centre.id}.json`);
  if (fs.existsSync(file)) return newContext(browser, { storageState: file });
  const context = await newContext(browser);
  const page = await context.newPage();
  await loginThroughForm(page, centre.adminEmail, centre.password);
  assert.equal(new URL(page.url()).pathname, '/');
  await page.close();
  await context.storageState({ path: file });
  return context;
}

/** Today in Japan (the board's day), `YYYY-MM-DD`, or `days` later. */
function tokyoDate(days = 0) {
  const fmt = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit', day: '2-digit' });
  return fmt.format(new Date(Date.now() + days * 86_400_000));
}

/** Saves a full-page screenshot as build/test-artifacts/browser/<name>.png. */
async function screenshot(page, name) {
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/**
 * Prints the page as Chromium does for A4 paper (print style sheet), saves the PDF
 * as build/test-artifacts/browser/<name>.pdf and returns its page count and size.
 */
async function printA4(page, name) {
  const pdf = await page.pdf({ format: 'A4', printBackground: true });
  const file = path.join(ARTIFACTS, `${name}.pdf`);
  fs.writeFileSync(file, pdf);
  const text = pdf.toString('latin1');
  // Page objects, not the page tree (`/Type /Pages`).
  const pages = (text.match(/\/Type\s*\/Page(?![a-zA-Z])/g) || []).length;
  const box = text.match(/\/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]/);
  return { file, pages, width: box && Number(box[1]), height: box && Number(box[2]) };
}

/** A JSON call to the API; returns the status and the parsed body. */
async function api(method, route, body, token) {
  const headers = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(BASE_URL + route, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = { raw: text };
  }
  return { status: res.status, json };
}

/** Logs a patient in through the API; returns the bearer token. */
async function patientLogin(email, password) {
  const r = await api('POST', '/api/v1/login', { email, password });
  assert.equal(r.status, 200, `patient login: ${JSON.stringify(r.json)}`);
  assert.ok(r.json.token);
  return r.json.token;
}

/** The newest verification code mailed to `email` (the server writes .eml files). */
async function mailedCode(email) {
  for (let i = 0; i < 50; i++) {
    const names = fs.readdirSync(MAIL_DIR).sort().reverse();
    for (const n of names) {
      const text = fs.readFileSync(path.join(MAIL_DIR, n), 'utf8');
      if (!text.split(/\r?\n/).some((l) => l.toLowerCase() === `to: ${email}`.toLowerCase())) continue;
      const m = text.match(/^(?:認証コード|Verification code): (\d+)\s*$/m);
      if (m) return m[1];
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no verification code mailed to ${email}`);
}

/**
 * Registers a patient account for a case the way the app does (e-mail, mailed code,
 * password, attributes with the smartphone input ID); returns the bearer token.
 */
async function registerPatient({ email, password, name, dateOfBirth, phone, inputId }) {
  const req = await api('POST', '/api/v1/registrations', { email });
  assert.equal(req.status, 202, `code request: ${JSON.stringify(req.json)}`);
  const id = req.json.request_id;
  const code = await mailedCode(email);
  const verified = await api('POST', `/api/v1/registrations/${id}/verify`, { code });
  assert.equal(verified.status, 200, `verify: ${JSON.stringify(verified.json)}`);
  const regToken = verified.json.registration_token;
  const pw = await api('POST', `/api/v1/registrations/${id}/password`, { password }, regToken);
  assert.equal(pw.status, 204, `password: ${JSON.stringify(pw.json)}`);
  const done = await api('POST', `/api/v1/registrations/${id}/attributes`,
    { name, date_of_birth: dateOfBirth, phone, input_id: inputId }, regToken);
  assert.equal(done.status, 201, `attributes: ${JSON.stringify(done.json)}`);
  return done.json.token;
}

/** Nine answers, all "no" (2), with `yes` (question indexes) answered 1. */
function answers(...yes) {
  const a = [2, 2, 2, 2, 2, 2, 2, 2, 2];
  for (const i of yes) a[i] = 1;
  return a;
}

/** Question indexes, in call-script order. */
const Q = { face: 0, cough: 1, breathlessness: 2, fatigue: 3, nausea: 4, diarrhoea: 5, consciousness: 6, eating: 7, urination: 8 };

/**
 * Syncs reports as the phone does (`POST /api/v1/reports:batch`) and checks each was
 * accepted; returns the results (with the server's advice).
 */
async function syncReports(token, reports) {
  const wire = reports.map((r) => ({
    id: r.id || crypto.randomUUID(),
    local_date: r.date || tokyoDate(),
    kind: r.kind || 'infected',
    temperature_tenths: r.tenths,
    answers: r.answers || answers(),
    recorded_at: r.recordedAt || new Date().toISOString(),
  }));
  const res = await api('POST', '/api/v1/reports:batch', { reports: wire }, token);
  assert.equal(res.status, 200, `reports:batch: ${JSON.stringify(res.json)}`);
  for (const r of res.json.results) assert.equal(r.status, 'accepted', `report refused: ${JSON.stringify(r)}`);
  return res.json.results;
}

/**
 * Registers a case through the new-case form and returns what its leaflet shows:
 * `{ id, inputId }` (the page is left on the leaflet).
 */
async function registerCase(page, f) {
  await page.goto('/cases/new');
  const form = page.locator('#new-case');
  await form.locator('input[name=name]').fill(f.name);
  await form.locator('input[name=name_reading]').fill(f.reading);
  await form.locator('input[name=date_of_birth]').fill(f.dateOfBirth);
  await form.locator('input[name=phone]').fill(f.phone);
  if (f.email) await form.locator('input[name=email]').fill(f.email);
  if (f.kind) await form.locator('select[name=kind]').selectOption(f.kind);
  if (f.observation) await form.locator('select[name=observation]').selectOption(f.observation);
  if (f.periodStart) await form.locator('input[name=period_start]').fill(f.periodStart);
  if (f.periodEnd) await form.locator('input[name=period_end]').fill(f.periodEnd);
  await Promise.all([page.waitForURL(/\/cases\/\d+\/leaflet$/), form.locator('button[type=submit]').click()]);
  const id = Number(page.url().match(/\/cases\/(\d+)\/leaflet$/)[1]);
  const inputId = (await page.locator('#leaflet-input-id').innerText()).trim();
  return { id, inputId };
}

/**
 * Clicks a submit button or link and waits for the page it leads to (also when that
 * page has the same address, as after logging a phone contact).
 */
async function clickAndWait(page, target) {
  await Promise.all([page.waitForNavigation(), target.click()]);
}

/** The number shown in a board count box (`#count-urgent` …). */
async function count(page, id) {
  const text = (await page.locator(`#${id}`).innerText()).trim();
  assert.match(text, /^\d+$/, `#${id} shows a number`);
  return Number(text);
}

/**
 * The cells of table rows keyed by their column headings, so that the tests do not
 * depend on the column order: `[{ 体温: { text: '36.8', className: 'num' }, … }, …]`.
 */
function rowsByHeading(rows) {
  return rows.evaluateAll((trs) => trs.map((tr) => {
    const heads = [...tr.closest('table').querySelectorAll('thead th')].map((th) => th.innerText.trim());
    const out = {};
    [...tr.children].forEach((td, i) => {
      out[heads[i]] = { text: td.innerText.trim(), className: td.className };
    });
    return out;
  }));
}

/** Searches the case list; returns the rows' case ids. */
async function searchCases(page, q) {
  await page.goto(`/cases?q=${encodeURIComponent(q)}`);
  return page.locator('#cases tbody tr').evaluateAll((rows) => rows.map((r) => Number(r.dataset.caseId)));
}

/**
 * Opens Chromium before the file's tests and closes it after them; with `centre`, also
 * a context signed in as that centre's admin. Returns an object whose `browser` (and
 * `context`) are set once the hook ran.
 */
function signedIn(centre) {
  const { before, after } = require('node:test');
  const session = { browser: undefined, context: undefined };
  before(async () => {
    session.browser = await launch();
    if (centre) session.context = await staffContext(session.browser, centre);
  });
  after(async () => {
    await session.context?.close();
    await session.browser?.close();
  });
  return session;
}

module.exports = {
  mailedCode,
  callDemo,
  BASE_URL,
  ARTIFACTS,
  DEMO_PASSWORD,
  Q,
  answers,
  api,
  count,
  demo,
  launch,
  loginThroughForm,
  newContext,
  patientLogin,
  printA4,
  registerCase,
  registerPatient,
  rowsByHeading,
  screenshot,
  searchCases,
  signedIn,
  staffContext,
  clickAndWait,
  syncReports,
  tokyoDate,
};
