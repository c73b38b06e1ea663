// Browser tests of the CSV exports and the access log: the cases.csv and reports.csv
// downloads from the case list contain the case and its report, and the admin's
// access log lists the views and downloads just made.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const h = require('./helpers');

const centres = h.demo();
const centre = centres[0];
const session = h.signedIn(centre);

/** Parses CSV text (RFC 4180: quoted cells may hold commas, quotes and newlines). */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        cell += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else {
      cell += c;
    }
  }
  if (cell !== '' || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

/** Clicks a download link; returns the suggested file name and the text. */
async function download(page, selector, name) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.locator(selector).click()]);
  const file = path.join(h.ARTIFACTS, name);
  await dl.saveAs(file);
  return { name: dl.suggestedFilename(), text: fs.readFileSync(file, 'utf8') };
}

test('the CSV downloads hold the case and its report; the access log lists what was done', async () => {
  const page = await session.context.newPage();
  const person = { name: '出力 四郎', reading: 'しゅつりょく しろう', dateOfBirth: '1958-05-05', phone: '03-1234-9876', email: 'shiro@example.jp' };
  const { id, inputId } = await h.registerCase(page, person);
  const token = await h.registerPatient({
    email: person.email,
    password: 'Hoshi-no-sora-2',
    name: person.name,
    dateOfBirth: person.dateOfBirth,
    phone: person.phone,
    inputId,
  });
  const [report] = await h.syncReports(token, [{ tenths: 371, answers: h.answers(h.Q.diarrhoea) }]);
  await page.goto(`/cases/${id}`);

  await page.goto('/cases');
  const cases = await download(page, '#export-cases', 'cases.csv');
  assert.equal(cases.name, 'cases.csv');
  assert.ok(cases.text.startsWith('\ufeff'), 'UTF-8 with a byte-order mark for spreadsheets');
  const caseRows = parseCsv(cases.text.slice(1));
  assert.deepEqual(caseRows[0].slice(0, 3), ['ID', '氏名', 'ふりがな'], 'Japanese headings');
  const inputCol = caseRows[0].indexOf('スマホ入力ID');
  assert.ok(inputCol > 0);
  const mine = caseRows.find((r) => r[0] === String(id));
  assert.ok(mine, 'the new case is in cases.csv');
  assert.equal(mine[1], person.name);
  assert.equal(mine[4], '0312349876');
  assert.equal(mine[5], person.email);
  assert.equal(mine[inputCol], inputId);
  assert.equal(mine[caseRows[0].indexOf('アプリ登録')], '1', 'registered in the app');
  assert.equal(mine[caseRows[0].indexOf('未対応の緊急報告（最初の受信）')], '', 'no urgent report waits');
  const theirs = centres[1].cases.map((c) => String(c.id));
  assert.ok(!caseRows.some((r) => theirs.includes(r[0])), 'no case of the other centre');

  const reports = await download(page, '#export-reports', 'reports.csv');
  assert.equal(reports.name, 'reports.csv');
  const reportRows = parseCsv(reports.text.replace(/^\ufeff/, ''));
  const head = reportRows[0];
  assert.deepEqual(head.slice(0, 6), ['case_id', 'input_id', 'report_id', 'local_date', 'kind', 'temperature']);
  const line = reportRows.find((r) => r[head.indexOf('report_id')] === report.id);
  assert.ok(line, 'the synced report is in reports.csv');
  assert.equal(line[head.indexOf('case_id')], String(id));
  assert.equal(line[head.indexOf('input_id')], inputId);
  assert.equal(line[head.indexOf('local_date')], h.tokyoDate());
  assert.equal(line[head.indexOf('temperature')], '37.1');
  assert.equal(line[head.indexOf('diarrhoea')], '1');
  assert.equal(line[head.indexOf('cough')], '2');
  assert.equal(line[head.indexOf('advice')], 'watch');
  assert.equal(line[head.indexOf('received_on')], h.tokyoDate(), 'the day it counts for: received, in Japan');
  assert.equal(line[head.indexOf('urgent')], '', 'not a call-now report');

  // The access log, newest first.
  await page.goto('/admin/audit');
  assert.equal((await page.locator('h1').innerText()).trim(), '個人情報の閲覧記録');
  const lines = (await h.rowsByHeading(page.locator('#audit tbody tr')))
    .map((r) => [r['日時'].text, r['担当者'].text, r['操作'].text, r['療養者'].text]);
  assert.ok(lines.length >= 5);
  const who = `${centre.adminName} <${centre.adminEmail}>`;
  assert.deepEqual(lines[0].slice(1), [who, '健康状態CSVを出力', ''], 'the reports download, last');
  assert.deepEqual(lines[1].slice(1), [who, '療養者CSVを出力', '']);
  assert.deepEqual(lines[2].slice(1), [who, '療養者一覧を表示・検索', '']);
  assert.deepEqual(lines[3].slice(1), [who, '療養者の画面を表示', `#${id}`], 'the person page view, with the case');
  const forCase = lines.filter((l) => l[3] === `#${id}`).map((l) => l[2]);
  assert.ok(forCase.includes('リーフレットを表示'), 'the leaflet view');
  assert.ok(forCase.includes('療養者を登録'), 'the registration');
  assert.match(lines[0][0], /^\d{4}-\d\d-\d\d \d\d:\d\d$/);
  // The case link opens the case.
  await h.clickAndWait(page, page.locator(`#audit a[href="/cases/${id}"]`).first());
  assert.match(await page.locator('#person h1').innerText(), /出力 四郎/);
  await page.goto('/admin/audit');
  await h.screenshot(page, 'audit');

  // Centre 2's admin sees none of it.
  const other = await h.staffContext(session.browser, centres[1]);
  const p2 = await other.newPage();
  await p2.goto('/admin/audit');
  const links = await p2.locator(`#audit a[href="/cases/${id}"]`).count();
  assert.equal(links, 0, "centre 2's log does not list centre 1's views");
  assert.doesNotMatch(await p2.locator('#audit').innerText(), new RegExp(centre.adminEmail.replace(/[.]/g, '\\.')));
  await other.close();
  await page.close();
});
