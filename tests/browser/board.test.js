// Browser tests of the today board: a report synced through the patient API (as the
// phone sends it) moves its case from the unreported list to the reported one and
// raises the reported count; an urgent report (breathlessness) puts the person at
// the top, in the highlighted urgent list.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./helpers');

const centres = h.demo();
const centre = centres[0];
const session = h.signedIn(centre);

/** The case ids of the rows of board list `key`. */
function listed(page, key) {
  return page.locator(`#list-${key} tbody tr`).evaluateAll((rows) => rows.map((r) => Number(r.dataset.caseId)));
}

async function counts(page) {
  const out = {};
  for (const k of ['urgent', 'unreported', 'fever', 'reported', 'observed']) out[k] = await h.count(page, `count-${k}`);
  return out;
}

test('a report synced from the app shows on the board: reported count up, person listed', async () => {
  const page = await session.context.newPage();
  const person = { name: '報告 一郎', reading: 'ほうこく いちろう', dateOfBirth: '1975-07-07', phone: '080-3333-4444' };
  const { id, inputId } = await h.registerCase(page, person);

  await page.goto('/');
  const before = await counts(page);
  assert.ok((await listed(page, 'unreported')).includes(id), 'a new case is in the unreported list');
  assert.ok(!(await listed(page, 'reported')).includes(id));

  const token = await h.registerPatient({
    email: 'ichiro@example.jp',
    password: 'Kawa-no-nagare-7',
    name: '報告　一郎',
    dateOfBirth: person.dateOfBirth,
    phone: '08033334444',
    inputId,
  });
  const [result] = await h.syncReports(token, [{ tenths: 368 }]);
  assert.equal(result.advice, 'none');

  await h.clickAndWait(page, page.locator('.freshness a')); // "最新の情報に更新"
  const after_ = await counts(page);
  assert.equal(after_.reported, before.reported + 1, 'reported count goes up by one');
  assert.equal(after_.unreported, before.unreported - 1, 'unreported count goes down by one');
  assert.equal(after_.observed, before.observed);
  assert.equal(after_.urgent, before.urgent);
  assert.ok((await listed(page, 'reported')).includes(id), 'listed among the reported');
  assert.ok(!(await listed(page, 'unreported')).includes(id), 'no longer among the unreported');
  const row = page.locator(`#list-reported tr[data-case-id="${id}"]`);
  assert.match(await row.innerText(), /報告 一郎/);
  const [cells] = await h.rowsByHeading(row);
  assert.equal(cells['体温'].text, '36.8');
  assert.match(cells['最新の受信'].text, /^\d\d:\d\d$/, 'the time of the report, today');
  assert.equal(cells['理由'].text, '', 'a well report has no reasons to show');
  assert.notEqual((await page.locator('#latest-received').innerText()).trim(), 'まだありません');
  await page.close();
});

test('an urgent report (breathlessness) is listed first, highlighted', async () => {
  const page = await session.context.newPage();
  await page.goto('/');
  const before = await counts(page);
  // A demo patient who is not urgent today; one who has not reported yet if there is one.
  const urgentNow = await listed(page, 'urgent');
  const candidates = centre.patients.filter((c) => !urgentNow.includes(c.id));
  const demoCase = candidates.find((c) => c.patient.reports === 0) || candidates[0];
  assert.ok(demoCase, 'a demo patient who is not urgent yet');
  const caseId = demoCase.id;

  const token = await h.patientLogin(demoCase.patient.email, demoCase.patient.password);
  const [result] = await h.syncReports(token, [{ kind: demoCase.kind, tenths: 378, answers: h.answers(h.Q.breathlessness) }]);
  assert.equal(result.advice, 'call_now', 'the shared triage says call now');

  await page.reload();
  const after_ = await counts(page);
  assert.equal(after_.urgent, before.urgent + 1, 'urgent count goes up by one');
  assert.ok((await listed(page, 'urgent')).includes(caseId), 'the person is in the urgent list');
  assert.ok((await listed(page, 'fever')).includes(caseId), 'and in the fever list (37.8)');

  // The urgent list is the first list on the board.
  const firstList = await page.locator('section.board-list').first().getAttribute('class');
  assert.match(firstList, /list-urgent/);

  const row = page.locator(`#list-urgent tr[data-case-id="${caseId}"]`);
  assert.match(await row.getAttribute('class'), /\burgent\b/, 'the row has the urgent class');
  assert.match(await row.getAttribute('class'), /\bfever\b/, 'and the fever class');
  const reasons = (await h.rowsByHeading(row))[0]['理由'].text;
  assert.match(reasons, /^未対応 発熱 37\.8℃.*息苦しさ \d\d:\d\d · \d+分経過/, 'staff see the reasons and the time received, not the advice sentence');
  const style = await row.locator('td').first().evaluate((td) => {
    const s = getComputedStyle(td);
    return { bg: s.backgroundColor, border: s.borderLeftWidth, borderColor: s.borderLeftColor };
  });
  assert.equal(style.bg, 'rgb(253, 232, 230)', 'urgent rows are tinted red');
  assert.equal(style.border, '4px', 'with a thick left border');
  assert.equal(style.borderColor, 'rgb(179, 38, 30)');
  const box = page.locator('li.count-urgent');
  assert.equal(await box.evaluate((el) => getComputedStyle(el).backgroundColor), 'rgb(253, 232, 230)', 'the urgent count box is highlighted');

  // The count box links to its list.
  await page.locator('li.count-urgent a').click();
  assert.equal(new URL(page.url()).hash, '#list-urgent');
  await page.evaluate(() => window.scrollTo(0, 0));
  await h.screenshot(page, 'board');
  await page.close();
});
