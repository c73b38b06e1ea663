// Browser tests of the "urgent until handled" rule, at centre 2 so that the board
// counts of the other files (centre 1) are not touched: a "call now" report
// (breathlessness) puts the person on the board's urgent list with the reason and
// 未対応, a later harmless report does not take them off, a phone contact that
// reached the person does (count down by one; the timeline says 対応済み with the
// staff name and the note; the access log lists the handling); the mark-handled form
// refuses an empty note (422, also past the browser's own check) and accepts a note.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./helpers');

const centres = h.demo();
const centre = centres[1];
const session = h.signedIn(centre);

/** The case ids of the board's urgent list. */
function urgentIds(page) {
  return page.locator('#list-urgent tbody tr').evaluateAll((rows) => rows.map((r) => Number(r.dataset.caseId)));
}

/**
 * Registers a case through the form (the page is left on its leaflet), then the
 * patient's app account through the API; returns the case id and the patient token.
 */
async function newPatient(page, person) {
  const { id, inputId } = await h.registerCase(page, person);
  const token = await h.registerPatient({
    email: person.email,
    password: person.password,
    name: person.name,
    dateOfBirth: person.dateOfBirth,
    phone: person.phone,
    inputId,
  });
  return { id, token };
}

/** The waiting-state line of the board row of case `id` (`未対応 息苦しさ 09:05 · 0分経過`). */
async function urgentCell(page, id) {
  return (await page.locator(`#list-urgent tr[data-case-id="${id}"] td.reasons .urgent-reasons`).innerText()).trim();
}

test('an urgent report stays on the board until a contact reaches the person', async () => {
  const page = await session.context.newPage();
  const person = {
    name: '緊急 春子', reading: 'きんきゅう はるこ', dateOfBirth: '1958-04-12', phone: '090-2468-1357',
    email: 'kinkyu.haruko@example.jp', password: 'Hana-no-saku-2',
  };
  const { id, token } = await newPatient(page, person);

  await page.goto('/');
  assert.equal((await page.locator('header.top .centre').innerText()).trim(), centre.name, "centre 2's board");
  const before = await h.count(page, 'count-urgent');
  assert.ok(!(await urgentIds(page)).includes(id), 'not urgent before any report');

  // (1) The phone syncs a "call now" report: breathlessness.
  const [urgent] = await h.syncReports(token, [{ tenths: 366, answers: h.answers(h.Q.breathlessness) }]);
  assert.equal(urgent.advice, 'call_now');

  // (2) The board lists the person as urgent, with the reason, 未対応 and the time received.
  await h.clickAndWait(page, page.locator('.freshness a')); // "最新の情報に更新"
  assert.equal(await h.count(page, 'count-urgent'), before + 1, 'urgent count up by one');
  assert.ok((await urgentIds(page)).includes(id), 'on the urgent list');
  const row = page.locator(`#list-urgent tr[data-case-id="${id}"]`);
  assert.match(await row.innerText(), /緊急 春子/);
  assert.match(await row.getAttribute('class'), /\burgent\b/);
  let cell = await urgentCell(page, id);
  assert.match(cell, /^未対応 /, `marked waiting: ${cell}`);
  assert.match(cell, /息苦しさ/, `with the reason: ${cell}`);
  assert.match(await row.locator('.urgent-since').innerText(), /^\d\d:\d\d · /, 'with the time it came in');
  assert.match(await page.locator('#urgent-oldest').innerText(), /\d\d:\d\d/, 'the oldest waiting report is shown');
  await page.locator(`#list-urgent tr[data-case-id="${id}"]`).scrollIntoViewIfNeeded();
  await h.screenshot(page, 'urgent-board-waiting');

  // (3) A later harmless report does not take the person off the urgent list.
  const [calm] = await h.syncReports(token, [{ tenths: 366, answers: h.answers() }]);
  assert.equal(calm.advice, 'none');
  await page.reload();
  assert.equal(await h.count(page, 'count-urgent'), before + 1, 'urgent count unchanged');
  assert.ok((await urgentIds(page)).includes(id), 'still on the urgent list');
  cell = await urgentCell(page, id);
  assert.match(cell, /^未対応 /, `still waiting: ${cell}`);
  assert.match(cell, /息苦しさ/, `still the breathlessness: ${cell}`);
  assert.equal((await row.locator('td.reasons .latest').innerText()).trim(), '最新: —', 'the latest report had no findings');

  // (4) The person page shows what waits; a contact that reached the person handles it.
  await Promise.all([page.waitForURL(`**/cases/${id}`), row.locator('a').first().click()]);
  const waiting = page.locator('#urgent-waiting');
  assert.equal(await waiting.count(), 1, 'the waiting box is shown');
  assert.match(await waiting.locator('.urgent-reasons').innerText(), /息苦しさ/);
  const reports = page.locator('#timeline tbody tr');
  assert.equal(await reports.count(), 2);
  assert.doesNotMatch(await reports.nth(0).innerText(), /未対応/, 'the harmless report (newest) does not wait');
  assert.match(await reports.nth(1).getAttribute('class'), /\burgent\b.*\bwaiting\b/);
  assert.equal((await reports.nth(1).locator('.urgent-state.waiting').innerText()).trim(), '未対応');
  const seen = await page.locator('#contact-form input[name=seen]').inputValue();
  assert.match(seen, /^\d+$/, 'the page filled the seen field');
  assert.notEqual(seen, '0');

  const note = '本人と通話。息苦しさは落ち着いたとのこと。悪化したら救急要請するよう伝えた。';
  const form = page.locator('#contact-form');
  await form.locator('select[name=outcome]').selectOption({ label: '本人・家族と話せた' });
  await form.locator('textarea[name=note]').fill(note);
  await h.clickAndWait(page, form.locator('button[type=submit]'));
  assert.equal(new URL(page.url()).pathname, `/cases/${id}`);
  assert.equal(await page.locator('#urgent-waiting').count(), 0, 'nothing waits any more');

  // (5) Off the urgent list, the count down by one.
  await page.goto('/');
  assert.equal(await h.count(page, 'count-urgent'), before, 'urgent count down by one');
  assert.ok(!(await urgentIds(page)).includes(id), 'off the urgent list');
  await h.screenshot(page, 'urgent-board-handled');

  // (6) The person page: the timeline says who handled it, how, and the note.
  // Opened from the reported list, where the person still is.
  await Promise.all([page.waitForURL(`**/cases/${id}`), page.locator(`#list-reported tr[data-case-id="${id}"] a`).first().click()]);
  assert.equal(await page.locator('#urgent-waiting').count(), 0);
  assert.equal(await reports.nth(1).locator('.urgent-state.waiting').count(), 0, 'no longer 未対応');
  assert.doesNotMatch(await page.locator('#timeline').innerText(), /未対応/);
  const handled = (await reports.nth(1).locator('.urgent-state.handled').innerText()).trim();
  assert.match(handled, /^対応済み \d{4}-\d\d-\d\d \d\d:\d\d /, `handled, with the time: ${handled}`);
  assert.ok(handled.includes(`${centre.adminName} 電話で対応：${note}`), `with the staff name and the note: ${handled}`);
  const [contact] = await h.rowsByHeading(page.locator('#contacts tbody tr'));
  assert.equal(contact['結果'].text, '本人・家族と話せた');
  assert.equal(contact['担当者'].text, centre.adminName);
  await h.screenshot(page, 'urgent-person-handled');

  // (7) The access log lists the handling with the admin's name.
  await page.goto('/admin/audit');
  const lines = (await h.rowsByHeading(page.locator('#audit tbody tr')))
    .map((r) => [r['担当者'].text, r['操作'].text, r['療養者'].text]);
  assert.ok(
    lines.some((l) => l[0] === `${centre.adminName} <${centre.adminEmail}>` && l[1] === '緊急報告を対応済みに' && l[2] === `#${id}`),
    `the handling is logged: ${JSON.stringify(lines.slice(0, 5))}`,
  );
  await h.screenshot(page, 'urgent-audit');
  await page.close();
});

test('the mark-handled form refuses an empty note and accepts a note', async () => {
  const page = await session.context.newPage();
  const person = {
    name: '処置 夏男', reading: 'しょち なつお', dateOfBirth: '1949-08-08', phone: '080-1357-2468',
    email: 'shochi.natsuo@example.jp', password: 'Natsu-no-umi-5',
  };
  const { id, token } = await newPatient(page, person);
  const [r] = await h.syncReports(token, [{ tenths: 375, answers: h.answers(h.Q.breathlessness) }]);
  assert.equal(r.advice, 'call_now');
  await page.goto('/');
  const before = await h.count(page, 'count-urgent');
  assert.ok((await urgentIds(page)).includes(id), 'on the urgent list');

  await page.goto(`/cases/${id}`);
  const form = page.locator('#urgent-waiting #handle-form');
  const button = form.locator('button[type=submit]');
  assert.equal((await button.innerText()).trim(), '対応済みにする');
  const note = form.locator('textarea[name=note]');

  // The browser's own check stops an empty note.
  let navigated = false;
  const onNav = () => { navigated = true; };
  page.on('framenavigated', onNav);
  await button.click();
  await page.waitForTimeout(300);
  page.off('framenavigated', onNav);
  assert.equal(navigated, false, 'the browser does not send an empty note');
  assert.equal(await note.evaluate((el) => el.validity.valueMissing), true);

  // Past the browser's check, the server refuses it too.
  await note.evaluate((el) => el.removeAttribute('required'));
  const [res] = await Promise.all([page.waitForNavigation(), button.click()]);
  assert.equal(res.status(), 422, 'refused');
  assert.match(await page.locator('#person p.error').innerText(), /行った対応を入力してください/);
  assert.equal(await page.locator('#urgent-waiting').count(), 1, 'still waiting');
  await h.screenshot(page, 'urgent-handle-refused');

  // Only spaces are no note either.
  await note.evaluate((el) => el.removeAttribute('required'));
  await note.fill('   ');
  const [res2] = await Promise.all([page.waitForNavigation(), button.click()]);
  assert.equal(res2.status(), 422, 'spaces are refused');
  assert.match(await page.locator('#person p.error').innerText(), /行った対応を入力してください/);
  await page.goto('/');
  assert.equal(await h.count(page, 'count-urgent'), before, 'nothing handled');
  assert.ok((await urgentIds(page)).includes(id), 'still on the urgent list');

  // A note is accepted.
  await page.goto(`/cases/${id}`);
  const text = '家族が付き添い、救急外来を受診済み（家族から連絡あり）。';
  await note.fill(text);
  await h.clickAndWait(page, button);
  assert.equal(new URL(page.url()).pathname, `/cases/${id}`);
  assert.equal(await page.locator('#person p.error').count(), 0);
  assert.equal(await page.locator('#urgent-waiting').count(), 0, 'nothing waits any more');
  const handled = (await page.locator('#timeline tbody tr').first().locator('.urgent-state.handled').innerText()).trim();
  assert.match(handled, /^対応済み \d{4}-\d\d-\d\d \d\d:\d\d /, handled);
  assert.ok(handled.includes(`${centre.adminName} メモで対応：${text}`), `with the staff name and the note: ${handled}`);
  await page.goto('/');
  assert.equal(await h.count(page, 'count-urgent'), before - 1, 'urgent count down by one');
  assert.ok(!(await urgentIds(page)).includes(id), 'off the urgent list');
  await page.close();
});
