// Browser tests of every page's security headers: Chromium walks the pages each caller
// can reach by following links (anonymous, a centre's admin, a clinic, the aggregate
// login, a registered patient), one page per path shape (`/cases/N`), and checks each
// answer: a Content-Security-Policy without inline or eval'd script that refuses
// framing, X-Frame-Options DENY, nosniff, no caching, a referrer policy, no inline
// script or event-handler attribute in the page, and no policy violation reported by
// the browser. A page of another site that frames a page of the server shows nothing
// of it.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const h = require('./helpers');

const centres = h.demo();
const session = h.signedIn();
const MAX_PAGES = Number(process.env.MIMAMORI_HEADERS_MAX_PAGES || 40);

function logins() {
  const text = fs.readFileSync(process.env.MIMAMORI_DEMO_FILE, 'utf8');
  const clinic = text.match(/^clinic (.+) \(id (\d+)\): login (\S+) \/ (\S+)$/m);
  const aggregate = text.match(/^aggregate statistics login (\S+) \/ (\S+)$/m);
  assert.ok(clinic && aggregate, 'the demo prints the clinic and aggregate logins');
  return { clinic: { email: clinic[3], password: clinic[4] }, aggregate: { email: aggregate[1], password: aggregate[2] } };
}

/** The headers every answer carries; `html` adds the page's own checks. */
function checkHeaders(url, headers) {
  const csp = headers['content-security-policy'] || '';
  const directive = (name) => (csp.split(';').map((d) => d.trim()).find((d) => d.startsWith(`${name} `)) || '').split(/\s+/).slice(1);
  const scripts = directive('script-src').length ? directive('script-src') : directive('default-src');
  assert.ok(csp, `${url}: a Content-Security-Policy`);
  assert.deepEqual(directive('default-src'), ["'none'"], `${url}: default-src 'none'`);
  for (const bad of ["'unsafe-inline'", "'unsafe-eval'", '*', 'data:', 'blob:']) {
    assert.ok(!scripts.includes(bad), `${url}: script-src allows ${bad}`);
  }
  assert.deepEqual(directive('frame-ancestors'), ["'none'"], `${url}: frame-ancestors 'none'`);
  assert.equal(headers['x-frame-options'], 'DENY', `${url}: X-Frame-Options`);
  assert.equal(headers['x-content-type-options'], 'nosniff', `${url}: nosniff`);
  assert.ok(headers['referrer-policy'], `${url}: a Referrer-Policy`);
}

/** Inline code in the page as the browser built it. */
async function inlineCode(page) {
  return page.evaluate(() => {
    const out = [];
    for (const s of document.querySelectorAll('script')) if (!s.src) out.push('an inline <script>');
    for (const e of document.querySelectorAll('*')) {
      for (const a of e.attributes) if (/^on/i.test(a.name)) out.push(`${e.tagName.toLowerCase()} ${a.name}=`);
      const href = e.getAttribute('href') || e.getAttribute('src') || e.getAttribute('action') || '';
      if (/^\s*javascript:/i.test(href)) out.push(`${e.tagName.toLowerCase()} with a javascript: URL`);
    }
    return out;
  });
}

/** The path's shape: numbers and ids replaced, so one case page stands for all. */
function shape(u) {
  return u.pathname.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, 'U').replace(/\d+/g, 'N');
}

/**
 * Follows same-site links from `starts` in `context`; checks every page reached.
 * Language switches and sign-outs are not followed (they change the session).
 */
async function walk(context, starts) {
  const page = await context.newPage();
  const violations = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to (execute|load|apply|frame)/i.test(m.text())) violations.push(m.text());
  });
  const seen = new Set();
  const queue = [...starts];
  const visited = [];
  while (queue.length && visited.length < MAX_PAGES) {
    const u = new URL(queue.shift(), h.BASE_URL);
    if (u.origin !== new URL(h.BASE_URL).origin || seen.has(shape(u))) continue;
    seen.add(shape(u));
    if (/^\/(lang|logout)|\/logout$/.test(u.pathname)) continue;
    // Files and downloads (CSV, FHIR JSON, the API): their headers, without a page.
    const fetchOnly = async () => {
      const res = await page.request.get(u.href, { maxRedirects: 0 });
      assert.ok(res.status() < 500, `${u.pathname}: ${res.status()}`);
      checkHeaders(u.pathname, res.headers());
      visited.push(u.pathname);
    };
    if (/\.(csv|css|js|json|ndjson)$/.test(u.pathname) || /^\/(api|\.well-known)\//.test(u.pathname)) {
      await fetchOnly();
      continue;
    }
    let res;
    try {
      res = await page.goto(u.href);
    } catch (e) {
      if (!/Download is starting/.test(String(e))) throw e;
      await fetchOnly();
      continue;
    }
    assert.ok(res, `${u.pathname}: no answer`);
    assert.ok(res.status() < 500, `${u.pathname}: ${res.status()}`);
    checkHeaders(u.pathname, res.headers());
    assert.equal(res.headers()['cache-control'], 'no-store', `${u.pathname}: pages are not cached`);
    assert.deepEqual(await inlineCode(page), [], `${u.pathname}: inline code`);
    visited.push(u.pathname);
    for (const href of await page.$$eval('a[href]', (as) => as.map((a) => a.href))) queue.push(href);
  }
  assert.deepEqual(violations, [], 'the browser reported no policy violation');
  await page.close();
  return visited;
}

async function signIn(context, path, email, password, landing) {
  const page = await context.newPage();
  await page.goto(path);
  await page.locator('#login input[name=email]').fill(email);
  await page.locator('#login input[name=password]').fill(password);
  await Promise.all([page.waitForURL((u) => !u.pathname.endsWith('/login')), page.locator('#login button[type=submit]').click()]);
  assert.ok(new URL(page.url()).pathname.startsWith(landing), `${path} signed in: ${page.url()}`);
  await page.close();
}

test('every page an anonymous visitor reaches has the security headers and no inline code', async () => {
  const context = await h.newContext(session.browser);
  const visited = await walk(context, ['/login', '/app', '/app/check', '/app/login', '/app/register', '/app/install', '/clinic/login', '/static/app.css', '/static/app.js']);
  assert.ok(visited.length >= 8, `pages visited: ${visited}`);
  await context.close();
});

test("every page of a centre's admin has the security headers and no inline code", async () => {
  const context = await h.staffContext(session.browser, centres[0]);
  const visited = await walk(context, ['/', '/cases', '/cases/new', '/admin/audit', '/admin/clinics', '/notifications', '/stats', '/export/cases.csv']);
  assert.ok(visited.some((p) => /^\/cases\/\d+$/.test(p)), `a person's page was visited: ${visited}`);
  assert.ok(visited.length >= 10, `pages visited: ${visited}`);
  await context.close();
});

test('every page of a clinic and of the aggregate login has the security headers', async () => {
  const { clinic, aggregate } = logins();
  const context = await h.newContext(session.browser);
  await signIn(context, '/clinic/login', clinic.email, clinic.password, '/clinic');
  const visited = await walk(context, ['/clinic', '/clinic/notifications/new', '/clinic/counts', '/clinic/staff']);
  assert.ok(visited.length >= 4, `pages visited: ${visited}`);
  await context.close();
  const agg = await h.newContext(session.browser);
  await signIn(agg, '/clinic/login', aggregate.email, aggregate.password, '/');
  assert.ok((await walk(agg, ['/stats/all', '/stats/all.csv'])).length >= 2);
  await agg.close();
});

test("every page of a registered patient has the security headers and no inline code", async () => {
  const patient = centres[0].patients[0].patient;
  const context = await h.newContext(session.browser, { viewport: { width: 390, height: 844 } });
  await signIn(context, '/app/login', patient.email, patient.password, '/app');
  const visited = await walk(context, ['/app/home', '/app/report']);
  assert.ok(visited.length >= 2, `pages visited: ${visited}`);
  await context.close();
});

test('a page of another site cannot frame the pages', async () => {
  const context = await h.staffContext(session.browser, centres[0]);
  const page = await context.newPage();
  const blocked = [];
  page.on('console', (m) => blocked.push(m.text()));
  // about:blank is another origin than the server's.
  await page.setContent(`<iframe id="f" src="${h.BASE_URL}/" width="800" height="600"></iframe>`);
  await page.waitForTimeout(1500);
  const frame = page.frames().find((f) => f !== page.mainFrame());
  assert.ok(frame, 'the frame exists');
  const inside = await frame.evaluate(() => document.body?.innerText || '').catch(() => '');
  assert.ok(!inside.includes('保健所') && !/count-/.test(await frame.content().catch(() => '')), 'nothing of the board inside the frame');
  await context.close();
});
