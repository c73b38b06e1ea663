// Browser tests of staff sign-in: anonymous visitors are sent to the login page, a
// wrong password is refused on the form, the centre's admin logs in through the form
// (Japanese by default) and back to the page first asked for, and logging out ends
// the session.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./helpers');

const centres = h.demo();
const chromium = h.signedIn();

test('anonymous visits to / and /cases redirect to the login page', async () => {
  const context = await h.newContext(chromium.browser);
  const page = await context.newPage();
  for (const path of ['/', '/cases', '/cases/new', '/admin/audit']) {
    const res = await page.goto(path);
    const url = new URL(page.url());
    assert.equal(url.pathname, '/login', `${path} goes to the login page`);
    assert.equal(url.searchParams.get('next'), path, `${path} is remembered for after the login`);
    assert.ok(res.request().redirectedFrom(), `${path} answered with a redirect`);
    assert.equal(res.status(), 200);
  }
  // Japanese by default.
  assert.equal(await page.locator('html').getAttribute('lang'), 'ja');
  assert.equal((await page.locator('h2').innerText()).trim(), '職員ログイン');
  assert.equal((await page.locator('#login button[type=submit]').innerText()).trim(), 'ログイン');
  await h.screenshot(page, 'login');
  // A CSV export is no different.
  const csv = await page.request.get('/export/cases.csv', { maxRedirects: 0 });
  assert.equal(csv.status(), 303, 'the CSV export redirects');
  assert.match(csv.headers().location, /^\/login\?next=/);
  await context.close();
});

test('a wrong password is refused on the form and nothing is signed in', async () => {
  const context = await h.newContext(chromium.browser);
  const page = await context.newPage();
  await page.goto('/login');
  await page.locator('#login input[name=email]').fill(centres[0].adminEmail);
  await page.locator('#login input[name=password]').fill('Not-the-password-1');
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/login'),
    page.locator('#login button[type=submit]').click(),
  ]);
  assert.equal(res.status(), 401);
  await page.waitForLoadState();
  assert.equal(new URL(page.url()).pathname, '/login');
  assert.equal((await page.locator('#login-error').innerText()).trim(), 'メールアドレスまたはパスワードが正しくありません。');
  assert.equal(await page.locator('#login input[name=email]').inputValue(), centres[0].adminEmail, 'the e-mail is kept');
  assert.equal(await page.locator('#login input[name=password]').inputValue(), '', 'the password is not sent back');
  await page.goto('/');
  assert.equal(new URL(page.url()).pathname, '/login', 'still signed out');
  await context.close();
});

test("centre 1's admin logs in through the form, sees the Japanese board, and logs out", async () => {
  const centre = centres[0];
  const context = await h.newContext(chromium.browser);
  const page = await context.newPage();

  // Asked for the case list, sent to log in, and brought back to it.
  await page.goto('/cases');
  assert.equal(new URL(page.url()).pathname, '/login');
  await page.locator('#login input[name=email]').fill(centre.adminEmail);
  await page.locator('#login input[name=password]').fill(centre.password);
  await Promise.all([page.waitForURL((u) => u.pathname === '/cases'), page.locator('#login button[type=submit]').click()]);
  assert.equal((await page.locator('h1').innerText()).trim(), '療養者一覧');

  const cookies = await context.cookies();
  const session = cookies.find((c) => c.name === 'mimamori_staff');
  assert.ok(session, 'a session cookie is set');
  assert.equal(session.httpOnly, true, 'the session cookie is HttpOnly');
  assert.equal(session.sameSite, 'Strict', 'the session cookie is SameSite=Strict');

  await page.locator('#nav-board').click();
  await page.waitForURL((u) => u.pathname === '/');
  assert.equal(await page.locator('html').getAttribute('lang'), 'ja');
  const h1 = (await page.locator('#board h1').innerText()).trim();
  assert.ok(h1.startsWith('本日の健康観察'), h1);
  assert.ok(h1.endsWith(h.tokyoDate()), `the board is for today in Japan: ${h1}`);
  assert.equal((await page.locator('#nav-board').innerText()).trim(), '本日の状況');
  assert.equal((await page.locator('header.top .centre').innerText()).trim(), centre.name);
  assert.equal((await page.locator('header.top .staff').innerText()).trim(), centre.adminName);
  assert.equal(await page.locator('#nav-audit').count(), 1, 'an admin sees the access log link');
  assert.equal((await page.locator('#logout button').innerText()).trim(), 'ログアウト');

  await Promise.all([page.waitForURL((u) => u.pathname === '/login'), page.locator('#logout button').click()]);
  assert.equal((await context.cookies()).filter((c) => c.name === 'mimamori_staff' && c.value).length, 0, 'the cookie is cleared');
  await page.goto('/');
  assert.equal(new URL(page.url()).pathname, '/login', 'after logout the board redirects to the login page');

  // The old session token is dead on the server too, not only forgotten by the browser.
  const replay = await h.newContext(chromium.browser);
  await replay.addCookies([{ ...session }]);
  const p2 = await replay.newPage();
  await p2.goto('/');
  assert.equal(new URL(p2.url()).pathname, '/login', 'the logged-out session cannot be reused');
  await replay.close();
  await context.close();
});
