// Browser tests of registering a case through the new-case form: a bad field shows the
// form again with the error and stores nothing; a good case lands on its leaflet
// (name, smartphone input ID, centre, emergency number, app URL, QR code), which
// prints as exactly one A4 page.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./helpers');

const centres = h.demo();
const centre = centres[0];
const session = h.signedIn(centre);

const NAME = '登録 花子';
const READING = 'とうろく はなこ';

test('the new-case form starts with sensible defaults', async () => {
  const page = await session.context.newPage();
  await page.goto('/cases/new');
  assert.equal((await page.locator('h1').innerText()).trim(), '療養者の新規登録');
  const form = page.locator('#new-case');
  assert.equal(await form.locator('input[name=period_start]').inputValue(), h.tokyoDate(), 'observation starts today in Japan');
  assert.equal(await form.locator('input[name=period_end]').inputValue(), h.tokyoDate(9), 'and lasts ten days');
  assert.equal(await form.locator('select[name=kind]').inputValue(), 'infected');
  assert.equal(await form.locator('select[name=observation]').inputValue(), 'app');
  assert.equal(await page.locator('#nav-new-case').getAttribute('aria-current'), 'page');
  await page.close();
});

test('a bad phone number shows the form again with the error and creates nothing', async () => {
  const page = await session.context.newPage();
  await page.goto('/cases/new');
  const form = page.locator('#new-case');
  await form.locator('input[name=name]').fill(NAME);
  await form.locator('input[name=name_reading]').fill(READING);
  await form.locator('input[name=date_of_birth]').fill('1988-03-14');
  await form.locator('input[name=phone]').fill('abc');
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/cases'),
    form.locator('button[type=submit]').click(),
  ]);
  assert.equal(res.status(), 422);
  await page.waitForLoadState();
  assert.equal(new URL(page.url()).pathname, '/cases', 'no leaflet: still on the form');
  const alert = page.locator('#new-case').locator('xpath=preceding-sibling::p[@role="alert"]');
  assert.equal(await alert.count(), 1, 'an error message above the form');
  const fieldError = page.locator('#new-case input[name=phone]').locator('xpath=../following-sibling::p[1][contains(@class,"field-error")]');
  assert.equal(await fieldError.count(), 1, 'the error is shown under the phone field');
  assert.equal(await fieldError.innerText(), await alert.innerText());
  assert.match(await alert.innerText(), /電話番号/, 'the message names the phone number');
  // What was typed is kept.
  assert.equal(await form.locator('input[name=name]').inputValue(), NAME);
  assert.equal(await form.locator('input[name=phone]').inputValue(), 'abc');
  await h.screenshot(page, 'new-case-error');

  assert.deepEqual(await h.searchCases(page, '登録'), [], 'nothing was stored');
  await page.close();
});

test('a good case lands on its leaflet, which prints on one A4 page', async () => {
  const page = await session.context.newPage();
  const { id, inputId } = await h.registerCase(page, {
    name: NAME,
    reading: READING,
    dateOfBirth: '1988-03-14',
    phone: '０９０－１１１１－２２２２',
    email: 'hanako@example.jp',
    kind: 'close_contact',
  });
  assert.match(inputId, /^\d{6,7}$/, 'a 6 or 7 digit smartphone input ID');
  assert.equal((await page.locator('#leaflet-name').innerText()).trim(), `${NAME} 様`);
  assert.equal((await page.locator('#leaflet-centre').innerText()).trim(), centre.name);
  assert.equal((await page.locator('#leaflet-emergency').innerText()).trim(), centre.emergency);
  assert.equal((await page.locator('#leaflet-url').innerText()).trim(), `${h.BASE_URL}/app`);
  assert.match(await page.locator('#leaflet h1').innerText(), /健康状態の確認について/);
  assert.match(await page.locator('#leaflet-once').innerText(), /1日1回/);
  assert.equal((await page.locator('#leaflet-urgent .emergency-line strong').innerText()).trim(), centre.emergency);
  assert.equal(await page.locator('#leaflet-urgent .urgent-table li').count(), 13, 'the thirteen urgent symptoms');
  assert.ok((await page.locator('#leaflet-notice li').count()) >= 4, 'the data-handling notice');

  const qr = page.locator('#leaflet-qr svg');
  assert.equal(await qr.count(), 1, 'an inline SVG QR code');
  assert.ok((await qr.locator('path, rect').count()) > 0, 'the QR code has modules');
  const box = await qr.boundingBox();
  assert.ok(box.width > 100 && Math.abs(box.width - box.height) < 2, `the QR code is square and readable size: ${JSON.stringify(box)}`);

  // The app page the code points at is public.
  const app = await page.request.get('/app');
  assert.equal(app.status(), 200);

  // The case is in the list, with the normalised phone number shown with hyphens and the same input ID.
  assert.deepEqual(await h.searchCases(page, '登録'), [id]);
  assert.deepEqual(await h.searchCases(page, inputId), [id], 'found by its input ID');
  assert.equal((await page.locator('#cases tbody tr td.num').first().innerText()).trim(), '090-1111-2222', 'shown with hyphens');
  await page.goto(`/cases/${id}`);
  assert.equal((await page.locator('#case-input-id').innerText()).trim(), inputId);
  await Promise.all([page.waitForURL(`**/cases/${id}/leaflet`), page.locator('#open-leaflet').click()]);
  await h.screenshot(page, 'leaflet');

  // The print button opens the browser's print dialog (the page's own script).
  await page.evaluate(() => {
    window.printCalls = 0;
    window.print = () => { window.printCalls += 1; };
  });
  await page.locator('#print').click();
  assert.equal(await page.evaluate(() => window.printCalls), 1, 'the print button calls window.print()');

  // Printing: the page chrome and the print button are hidden.
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('header.top').isVisible(), false, 'no page header on paper');
  assert.equal(await page.locator('#print').isVisible(), false, 'no print button on paper');
  await page.setViewportSize({ width: 794, height: 1123 });
  await h.screenshot(page, 'leaflet-print-media');
  // Back to no emulation: page.pdf() then uses the print rules, as printing does.
  await page.emulateMedia({ media: null });

  const pdf = await h.printA4(page, 'leaflet');
  assert.equal(pdf.pages, 1, `the leaflet prints on exactly one A4 page, not ${pdf.pages} (see ${pdf.file})`);
  assert.ok(Math.abs(pdf.width - 595.9) < 2 && Math.abs(pdf.height - 842.9) < 2, `A4 paper: ${pdf.width} x ${pdf.height}`);
  await page.close();
});
