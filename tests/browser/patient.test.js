// Browser tests of the patient pages on a phone-sized screen: the leaflet's address
// opens the start page; a patient registers with the mailed code, reports, sees the
// advice with the centre's number and appears on the centre's board; the same with
// scripts off; the family's urgent check with and without the leaflet's link (a forged
// number is never shown). Every page is checked with axe-core (no "serious" or
// "critical" violation), at twice the text size (no sideways scrolling), for tap
// targets of at least 44 px, and for requests to any other site.
'use strict';

const { test, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const h = require('./helpers');

const centres = h.demo();
const centre = centres[0];
const session = h.signedIn(centre);
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const leaflet = `/app?centre=${centre.id}&name=${encodeURIComponent(centre.name)}&tel=${encodeURIComponent(centre.emergency)}`;
const origin = new URL(h.BASE_URL).origin;
const axeSummary = [];
const person = { name: 'ブラウザ 花子', reading: 'ぶらうざ はなこ', dateOfBirth: '1990-03-03', phone: '080-7777-8888', email: 'hanako.browser@example.jp', password: 'Hana-no-sato-42' };

/** A phone's browser; every request it makes is kept to check that none leaves the server. */
async function phone(options = {}) {
  const context = await h.newContext(session.browser, { ...PHONE, ...options });
  const requests = [];
  context.on('request', (r) => requests.push(r.url()));
  return { context, requests };
}

function onlyOurServer(requests) {
  const foreign = requests.filter((u) => !u.startsWith(origin) && !u.startsWith('data:'));
  assert.deepEqual(foreign, [], 'no request to another site');
}

/**
 * Checks the page as it is: axe-core finds no serious or critical violation; at twice
 * the text size nothing needs sideways scrolling; buttons, choices and fields are at
 * least 44 px tall; then a screenshot.
 */
async function checkPage(page, name) {
  await page.evaluate(AXE);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  axeSummary.push(`${name}: ${result.violations.length} violations, ${bad.length} serious or critical`);
  assert.deepEqual(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), [], `axe on ${name}`);
  const small = await page.evaluate(() => [...document.querySelectorAll('button, a.button, label.choice, input:not([type=hidden]):not([type=radio]):not([type=checkbox])')]
    .filter((e) => e.offsetParent !== null && e.getBoundingClientRect().height < 44)
    .map((e) => e.outerHTML.slice(0, 80)));
  assert.deepEqual(small, [], `tap targets on ${name}`);
  const overflow = await page.evaluate(() => {
    document.documentElement.style.fontSize = '200%';
    const wide = document.documentElement.scrollWidth - window.innerWidth;
    document.documentElement.style.fontSize = '';
    return wide;
  });
  assert.ok(overflow <= 1, `${name} at twice the text size scrolls sideways by ${overflow}px`);
  assert.equal(await page.locator('h1').count(), 1, `${name} has one main heading`);
  await h.screenshot(page, `patient-${name}`);
}

/** Clicks and waits for the next page. */
function go(page, locator) {
  return h.clickAndWait(page, locator);
}

after(() => {
  console.log(`axe-core results:\n  ${axeSummary.join('\n  ')}`);
});

test('a patient registers on the phone, reports, sees the advice and appears on the board', async () => {
  const staffPage = await session.context.newPage();
  const { id, inputId } = await h.registerCase(staffPage, person);

  const { context, requests } = await phone();
  const page = await context.newPage();
  await page.goto(leaflet);
  assert.equal(await page.locator('html').getAttribute('lang'), 'ja');
  assert.equal((await page.locator('#centre-name').innerText()).trim(), centre.name);
  assert.equal(await page.locator('#centre-tel').getAttribute('href'), `tel:${centre.emergency.replace(/-/g, '')}`);
  await checkPage(page, 'start');

  await go(page, page.locator('#new-registration'));
  await checkPage(page, 'register-email');
  await page.locator('#email').fill(person.email);
  await go(page, page.getByRole('button', { name: '確認コードを送信' }));
  assert.equal(new URL(page.url()).pathname, '/app/register/code');
  await checkPage(page, 'register-code');
  await page.locator('#code').fill(await h.mailedCode(person.email));
  await go(page, page.getByRole('button', { name: 'コードの確認' }));

  assert.equal(new URL(page.url()).pathname, '/app/register/password');
  await page.locator('#password').pressSequentially('abc');
  assert.deepEqual(await page.locator('#password-rule li.met').evaluateAll((l) => l.map((e) => e.dataset.part)), ['lower'], 'the rule is ticked as typed');
  await page.locator('#password').fill(person.password);
  await page.locator('#password').dispatchEvent('input');
  assert.equal(await page.locator('#password-rule li.met').count(), 5);
  await checkPage(page, 'register-password');
  await go(page, page.getByRole('button', { name: '作成' }));

  assert.equal(new URL(page.url()).pathname, '/app/register/attributes');
  await checkPage(page, 'register-attributes');
  await page.getByLabel('氏名').fill('ブラウザ　花子');
  await page.getByLabel('生年月日').fill(person.dateOfBirth);
  await page.getByLabel('電話番号').fill('０８０７７７７８８８８');
  await page.getByLabel('スマホ入力ID').fill(inputId);
  await go(page, page.getByRole('button', { name: '属性を保存する' }));

  assert.equal(new URL(page.url()).pathname, '/app/welcome');
  await checkPage(page, 'welcome');
  await go(page, page.getByRole('button', { name: '状況報告を入力する' }));
  assert.equal(new URL(page.url()).pathname, '/app/report');
  await checkPage(page, 'report-form');
  await page.getByLabel('体温（℃）').fill('37.9');
  for (const q of ['face', 'cough', 'breathlessness', 'fatigue', 'nausea', 'diarrhoea', 'consciousness', 'eating', 'urination']) {
    await page.locator(`#q-${q} input[value="${q === 'breathlessness' ? 1 : 2}"]`).check();
  }
  await go(page, page.getByRole('button', { name: '確認' }));
  assert.equal((await page.locator('#summary-temperature').innerText()).trim(), '37.9');
  await checkPage(page, 'report-confirm');
  await go(page, page.getByRole('button', { name: '送信する' }));

  assert.match(new URL(page.url()).pathname, /^\/app\/reports\/[0-9a-f-]{36}$/);
  assert.match(await page.locator('#advice-headline').innerText(), /すぐに保健所の緊急連絡先にお電話ください。/);
  assert.match(await page.locator('#advice-reasons').innerText(), /息苦しさがある/);
  const call = page.locator('#call-number');
  assert.equal(await call.getAttribute('href'), `tel:${centre.emergency.replace(/-/g, '')}`);
  assert.match(await call.innerText(), new RegExp(centre.emergency));
  await checkPage(page, 'advice');

  // The centre's board lists the person as urgent.
  await staffPage.goto('/');
  const urgent = await staffPage.locator('#list-urgent tbody tr').evaluateAll((rows) => rows.map((r) => Number(r.dataset.caseId)));
  assert.ok(urgent.includes(id), 'the web report puts the person on the urgent list');
  assert.match(await staffPage.locator(`#list-urgent tr[data-case-id="${id}"]`).innerText(), /息苦しさ/);
  await staffPage.close();

  await go(page, page.locator('#to-home'));
  assert.match(await page.locator('#today-state').innerText(), /本日の入力は済んでいます/);
  assert.equal(await page.locator('#history li').count(), 1);
  assert.equal(await page.locator('#chart svg').count(), 1);
  await checkPage(page, 'home');
  await go(page, page.getByRole('button', { name: 'ログアウト' }));
  assert.equal(new URL(page.url()).pathname, '/app');
  await page.goto('/app/home');
  assert.equal(new URL(page.url()).pathname, '/app/login', 'signed out');
  await checkPage(page, 'login');
  await page.goto('/app/install');
  await checkPage(page, 'install');
  await page.goto('/app/reports/not-a-report');
  await checkPage(page, 'error');
  onlyOurServer(requests);
  await context.close();
});

test('with scripts off the person signs in, reports and sees the advice', async () => {
  const { context, requests } = await phone({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/app');
  await go(page, page.locator('#sign-in'));
  await page.getByLabel('メールアドレス').fill(person.email);
  await page.getByLabel('パスワード').fill(person.password);
  await go(page, page.getByRole('button', { name: 'ログイン' }));
  assert.equal(new URL(page.url()).pathname, '/app/home');
  await go(page, page.locator('#report-today'));
  await page.getByLabel('体温（℃）').fill('36.8');
  for (const q of ['face', 'cough', 'breathlessness', 'fatigue', 'nausea', 'diarrhoea', 'consciousness', 'eating', 'urination']) {
    await page.locator(`#q-${q} label.choice`).nth(1).click();
  }
  await go(page, page.getByRole('button', { name: '確認' }));
  await go(page, page.getByRole('button', { name: '修正する' }));
  assert.equal(await page.getByLabel('体温（℃）').inputValue(), '36.8', 'changing keeps the answers');
  await go(page, page.getByRole('button', { name: '確認' }));
  await go(page, page.getByRole('button', { name: '送信する' }));
  assert.match(await page.locator('#advice-headline').innerText(), /緊急の対応が必要な回答はありません/);
  assert.equal(await page.locator('#call-number').count(), 0);
  await go(page, page.locator('#to-home'));
  assert.equal(await page.locator('#history li').count(), 2);
  onlyOurServer(requests);
  await context.close();
});

test('the family check: the centre\'s number from the leaflet\'s link, otherwise where to find it and 119', async () => {
  const { context, requests } = await phone();
  const page = await context.newPage();
  await page.goto(leaflet);
  await go(page, page.locator('#family-check'));
  assert.equal(await page.locator('input[name=symptom]').count(), 13);
  assert.equal(await page.locator('#group-appearance legend').innerText(), '表情・外見');
  await checkPage(page, 'check');
  await page.getByLabel('唇が紫色になっている').check();
  await page.getByLabel('もうろうとしている（返事がない）※').check();
  await go(page, page.getByRole('button', { name: '結果を見る' }));
  assert.match(await page.locator('#advice-headline').innerText(), /すぐに保健所の緊急連絡先/);
  assert.equal(await page.locator('#call-number').getAttribute('href'), `tel:${centre.emergency.replace(/-/g, '')}`);
  assert.match(await page.locator('#call-sentence').innerText(), new RegExp(`${centre.name}.*${centre.emergency}`));
  assert.equal(await page.locator('#call-119').getAttribute('href'), 'tel:119');
  await checkPage(page, 'check-result');
  await go(page, page.locator('#check-again'));
  assert.equal(new URL(page.url()).search, `?centre=${centre.id}`, 'the centre is kept');

  // Without the leaflet's link, or with a forged or unknown centre.
  await page.goto('/app/check');
  assert.match(await page.locator('#call-sentence').innerText(), /リーフレット.*119番/);
  await page.getByLabel('胸の痛みがある').check();
  await go(page, page.getByRole('button', { name: '結果を見る' }));
  assert.equal(await page.locator('#call-number').count(), 0);
  assert.match(await page.locator('#call-sentence').innerText(), /119番に電話してください/);
  await checkPage(page, 'check-result-no-centre');
  await page.goto(`/app?centre=${centre.id}&name=${encodeURIComponent('偽保健所')}&tel=0120-000-000`);
  assert.equal((await page.locator('#centre-tel').innerText()).trim(), centre.emergency, 'a forged number is never shown');
  assert.ok(!(await page.locator('body').innerText()).includes('0120'));
  await page.goto('/app?centre=99999&name=x&tel=0120-000-000');
  assert.equal(await page.locator('#centre').count(), 0);

  // In English, with scripts off.
  const plain = await context.browser().newContext({ ...PHONE, baseURL: h.BASE_URL, javaScriptEnabled: false, locale: 'ja-JP' });
  const p2 = await plain.newPage();
  await p2.goto(`/app/check?centre=${centre.id}`);
  await go(p2, p2.locator('#lang-en'));
  assert.equal(await p2.locator('html').getAttribute('lang'), 'en');
  await p2.getByLabel('Wheezing').check();
  await go(p2, p2.getByRole('button', { name: 'See what to do' }));
  assert.match(await p2.locator('#call-sentence').innerText(), new RegExp(`${centre.emergency}`));
  await plain.close();
  onlyOurServer(requests);
  await context.close();
});
