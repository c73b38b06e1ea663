// Browser tests of the language switch: the English link turns the board, the case
// pages and the leaflet into English (and stays on the same page); the Japanese link
// turns them back. The login page has the same switch.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./helpers');

const centres = h.demo();
const centre = centres[0];
const chromium = h.signedIn();

test('the board and the leaflet switch to English and back', async () => {
  const context = await h.staffContext(chromium.browser, centre);
  const page = await context.newPage();
  await page.goto('/');
  assert.equal(await page.locator('html').getAttribute('lang'), 'ja');

  await page.locator('#lang-en').click();
  await page.waitForSelector('html[lang=en]');
  assert.equal(new URL(page.url()).pathname, '/', 'back on the board');
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  const board = await page.locator('body').innerText();
  assert.match(await page.locator('#board h1').innerText(), /^Today's health reports/);
  for (const words of ['Today', 'Cases', 'New case', 'Access log', 'Urgent (call now)', 'Not reported', 'Reported', 'Under observation', 'Log out']) {
    assert.ok(board.includes(words), `the English board says "${words}"`);
  }
  for (const ja of ['本日の健康観察', '未入力', '療養者一覧', 'ログアウト']) {
    assert.ok(!board.includes(ja), `no Japanese wording left: ${ja}`);
  }
  assert.equal(await page.locator('#lang-ja').count(), 1, 'the way back is offered');
  await h.screenshot(page, 'board-en');

  // A demo case's leaflet, in English.
  const caseId = centre.cases[1].id;
  await page.goto(`/cases/${caseId}/leaflet`);
  const leaflet = await page.locator('#leaflet').innerText();
  assert.match(await page.locator('#leaflet h1').innerText(), /^Checking your health: please report on your smartphone$/);
  for (const words of ['Smartphone input ID', 'Emergency number', 'How to report', 'Urgent symptoms', 'Please report your health once a day.',
    'How the information you enter is handled']) {
    assert.ok(leaflet.includes(words), `the English leaflet says "${words}"`);
  }
  assert.ok(!leaflet.includes('様'), 'no Japanese honorific in English');
  assert.equal((await page.locator('#leaflet-input-id').innerText()).trim(), centre.cases[1].inputId);
  assert.equal((await page.locator('#leaflet-emergency').innerText()).trim(), centre.emergency);
  assert.equal(await page.locator('#leaflet-urgent .urgent-table li').count(), 13);
  await h.screenshot(page, 'leaflet-en');
  const pdf = await h.printA4(page, 'leaflet-en');
  assert.equal(pdf.pages, 1, `the English leaflet prints on exactly one A4 page, not ${pdf.pages} (see ${pdf.file})`);

  // The switch goes back to the page it was clicked on.
  await page.locator('#lang-ja').click();
  await page.waitForSelector('html[lang=ja]');
  assert.equal(new URL(page.url()).pathname, `/cases/${caseId}/leaflet`, 'back on the leaflet');
  assert.equal(await page.locator('html').getAttribute('lang'), 'ja');
  assert.match(await page.locator('#leaflet h1').innerText(), /健康状態の確認について/);
  assert.match(await page.locator('#leaflet-name').innerText(), / 様$/);
  await page.goto('/');
  assert.match(await page.locator('#board h1').innerText(), /^本日の健康観察/);
  assert.equal(await page.locator('#lang-en').count(), 1);
  await context.close();
});

test('the login page switches language too', async () => {
  const context = await h.newContext(chromium.browser);
  const page = await context.newPage();
  await page.goto('/login');
  assert.equal((await page.locator('h2').innerText()).trim(), '職員ログイン');
  await page.locator('#lang-en').click();
  await page.waitForSelector('html[lang=en]');
  assert.equal((await page.locator('h2').innerText()).trim(), 'Staff login');
  assert.equal((await page.locator('#login button[type=submit]').innerText()).trim(), 'Log in');
  await page.locator('#lang-ja').click();
  await page.waitForSelector('html[lang=ja]');
  assert.equal((await page.locator('h2').innerText()).trim(), '職員ログイン');
  await context.close();
});
