// Browser tests of a person's page: the timeline lists the synced reports with their
// answers and advice, the temperature chart (SVG) has the 37.5 °C fever line, and a
// phone contact logged through the form is listed with the staff member's name;
// ending observation asks for confirmation and takes the case off the board.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const h = require('./helpers');

const centres = h.demo();
const centre = centres[0];
const session = h.signedIn(centre);

/** This time of day, `n` days ago, as the phone records it. */
function daysAgo(n) {
  return new Date(Date.now() - n * 86_400_000).toISOString();
}

test('the person page shows the reports, the chart and the logged phone contacts', async () => {
  const page = await session.context.newPage();
  const person = { name: '経過 三郎', reading: 'けいか さぶろう', dateOfBirth: '1962-11-03', phone: '090-5555-6666' };
  const { id, inputId } = await h.registerCase(page, { ...person, periodStart: h.tokyoDate(-2), periodEnd: h.tokyoDate(7) });
  const token = await h.registerPatient({
    email: 'saburo@example.jp',
    password: 'Yama-no-ue-no-4',
    name: person.name,
    dateOfBirth: person.dateOfBirth,
    phone: person.phone,
    inputId,
  });
  const results = await h.syncReports(token, [
    { date: h.tokyoDate(-2), tenths: 365, recordedAt: daysAgo(2) },
    { date: h.tokyoDate(-1), tenths: 372, answers: h.answers(h.Q.fatigue), recordedAt: daysAgo(1) },
    { date: h.tokyoDate(), tenths: 381, answers: h.answers(h.Q.cough) },
  ]);
  assert.deepEqual(results.map((r) => r.advice), ['none', 'watch', 'watch']);

  // Found through the case list, opened by its name.
  assert.deepEqual(await h.searchCases(page, 'けいか'), [id], 'found by the reading');
  await Promise.all([page.waitForURL(`**/cases/${id}`), page.locator(`#cases tr[data-case-id="${id}"] a`).click()]);
  assert.match(await page.locator('#person h1').innerText(), /経過 三郎/);
  assert.match(await page.locator('dl.facts').innerText(), /アプリ登録済み/, 'the app account is shown as registered');

  // Timeline: newest first, one row per report.
  const rows = page.locator('#timeline tbody tr');
  assert.equal(await rows.count(), 3);
  const first = rows.first();
  const timeline = await h.rowsByHeading(rows);
  assert.equal(timeline[0]['日付'].text, h.tokyoDate());
  assert.equal(timeline[0]['体温'].text, '38.1');
  assert.match(timeline[0]['体温'].className, /\bfever\b/, 'a fever is marked');
  assert.equal(timeline[0]['咳・鼻水'].text, 'ある');
  const findings = await first.locator('td.finding').allInnerTexts();
  assert.deepEqual(findings.map((s) => s.trim()), ['ある'], 'the cough is marked as a finding');
  assert.match(timeline[0]['判定・理由'].text, /^経過観察\n発熱 38\.1℃、咳・鼻水$/, 'the level, then the reasons as staff read them');
  assert.equal(timeline[1]['倦怠感'].text, 'ある');
  assert.equal(timeline[2]['日付'].text, h.tokyoDate(-2));
  assert.match(timeline[2]['入力時刻'].text, /^\d\d:\d\d$/, 'entered on its day: the time alone');
  assert.equal((await rows.nth(2).locator('td.finding').count()), 0);

  // The temperature chart.
  const svg = page.locator('#chart svg');
  assert.equal(await svg.count(), 1, 'an SVG chart');
  assert.equal(await svg.locator('polyline.fever-line').count(), 1, 'with the fever line');
  assert.equal(await svg.locator('circle').count(), 3, 'one dot per day');
  assert.match(await svg.evaluate((el) => el.textContent), /37\.5℃/, 'the fever line is labelled 37.5℃');
  const line = await svg.locator('polyline.fever-line').boundingBox();
  assert.ok(line && line.width > 300, `the fever line spans the chart: ${JSON.stringify(line)}`);

  // Log a phone contact.
  assert.match(await page.locator('#person').innerText(), /まだ記録がありません。/);
  const note = '38.1℃、咳あり。息苦しさはなし。明日の朝にもう一度電話する。';
  const form = page.locator('#contact-form');
  await form.locator('select[name=outcome]').selectOption({ label: '本人・家族と話せた' });
  await form.locator('textarea[name=note]').fill(note);
  await h.clickAndWait(page, form.locator('button[type=submit]'));
  assert.equal(new URL(page.url()).pathname + new URL(page.url()).hash, `/cases/${id}#contacts`);
  const contact = page.locator('#contacts tbody tr');
  assert.equal(await contact.count(), 1);
  const [cells] = await h.rowsByHeading(contact);
  assert.match(cells['日時'].text, /^\d{4}-\d\d-\d\d \d\d:\d\d$/);
  assert.equal(cells['担当者'].text, centre.adminName, 'listed with the staff name');
  assert.equal(cells['結果'].text, '本人・家族と話せた');
  assert.equal(cells['メモ'].text, note);
  assert.doesNotMatch(await page.locator('#person').innerText(), /まだ記録がありません。/);
  await h.screenshot(page, 'person');
  await page.locator('#chart').screenshot({ path: path.join(h.ARTIFACTS, 'person-chart.png') });

  // The note is stored as text, not markup.
  await form.locator('select[name=outcome]').selectOption('no_answer');
  await form.locator('textarea[name=note]').fill('<b>応答なし</b>');
  await h.clickAndWait(page, form.locator('button[type=submit]'));
  assert.equal(await contact.count(), 2);
  assert.equal((await contact.nth(1).locator('td.note').innerText()).trim(), '<b>応答なし</b>');
  assert.equal(await page.locator('#contacts b').count(), 0);
  await page.close();
});

test('an unknown case gives the not-found page', async () => {
  const page = await session.context.newPage();
  const res = await page.goto('/cases/999999');
  assert.equal(res.status(), 404);
  assert.match(await page.locator('main').innerText(), /見つかりません/);
  await page.close();
});

test('ending observation asks first, then takes the case off the board', async () => {
  const page = await session.context.newPage();
  const { id } = await h.registerCase(page, { name: '終了 次郎', reading: 'しゅうりょう じろう', dateOfBirth: '1975-05-05', phone: '080-5555-6666' });
  await page.goto('/');
  const observed = await h.count(page, 'count-observed');
  await page.goto(`/cases/${id}`);
  const close = page.locator('#close-form button[type=submit]');

  // Cancelling the confirmation keeps the case under observation.
  const dismiss = (d) => d.dismiss();
  page.on('dialog', dismiss);
  await close.click();
  await page.waitForTimeout(300);
  page.off('dialog', dismiss);
  assert.equal(await page.locator('#close-form').count(), 1, 'still under observation');

  page.once('dialog', (d) => d.accept());
  await h.clickAndWait(page, close);
  assert.equal(await page.locator('#close-form').count(), 0, 'no second end');
  assert.match(await page.locator('dl.facts').innerText(), /観察終了/);
  await page.goto('/');
  assert.equal(await h.count(page, 'count-observed'), observed - 1, 'off the board');
  await page.close();
});
