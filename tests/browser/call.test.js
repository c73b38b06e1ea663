// Browser tests of the automated morning call at the demo's phone-observed centre
// (ひまわり保健所, ten people; the simulated provider's demo script picks each one's
// behaviour from the last digit of the case id): the admin starts the first round with
// the board's button and watches the keypad answers arrive as reports (an urgent one on
// the urgent list); the retry fills the call-back list with each attempt's outcome; the
// person page shows the call log and switches the case between app and phone, and the
// access log holds the changes. One browser and one signed-in context for the file.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./helpers');

const centre = h.callDemo();
const session = h.signedIn(centre);
/** The case whose id ends in `digit`. */
const person = (digit) => centre.people.find((id) => id % 10 === digit);
const OPEN = /発信待ち|発信準備中|発信中|呼出中|通話中/;

function listed(page, key) {
  return page.locator(`#list-${key} tbody tr`).evaluateAll((rows) => rows.map((r) => Number(r.dataset.caseId)));
}

/** Reloads the board until `round`'s calls have all ended (the simulated calls take seconds). */
async function waitForRound(page, round) {
  for (let i = 0; i < 120; i++) {
    await page.goto('/');
    const rounds = await page.locator('#call-rounds').innerText();
    if (rounds.includes(`${round}:`) && !OPEN.test(rounds)) return rounds;
    await page.waitForTimeout(500);
  }
  throw new Error(`the ${round} calls did not end: ${await page.locator('#call-rounds').innerText()}`);
}

/** Clicks a start button under the board; returns the notice it leads to. */
async function start(page, which) {
  await page.goto('/');
  await h.clickAndWait(page, page.locator(`#call-start-${which} button`));
  assert.match(page.url(), /\/\?call=started:\d+#call-section$/);
  return (await page.locator('#call-notice').innerText()).trim();
}

test('the board button starts a round; keypad answers become reports on the board', async () => {
  const page = await session.context.newPage();
  await page.goto('/');
  assert.equal((await page.locator('#call-rounds').innerText()).trim(), '本日の自動架電はまだ始まっていません。');
  assert.equal(await h.count(page, 'count-callback'), 0);
  assert.equal(await h.count(page, 'count-reported'), 0, 'nobody has reported yet');
  for (const id of centre.people) assert.ok((await listed(page, 'unreported')).includes(id));

  assert.equal(await start(page, 'first'), '架電を開始しました。対象者 10');
  const rounds = await waitForRound(page, '1回目');
  assert.match(rounds, /回答完了 7/, rounds);
  assert.match(rounds, /応答なし 1/, rounds);
  assert.match(rounds, /話し中 1/, rounds);
  assert.match(rounds, /途中終了 1/, rounds);

  // Seven completed calls are reports like the app's: counted, listed, triaged.
  assert.equal(await h.count(page, 'count-reported'), 7);
  const reported = await listed(page, 'reported');
  for (const d of [0, 1, 2, 3, 4, 5, 6]) assert.ok(reported.includes(person(d)), `case ending in ${d} reported`);
  for (const d of [7, 8, 9]) assert.ok((await listed(page, 'unreported')).includes(person(d)), `case ending in ${d} not yet`);
  assert.deepEqual(await listed(page, 'urgent'), [person(6)], 'the breathless answer is on the urgent list');
  const [urgent] = await h.rowsByHeading(page.locator(`#list-urgent tr[data-case-id="${person(6)}"]`));
  assert.match(urgent['理由'].text, /息苦しさ/);
  assert.ok((await listed(page, 'fever')).includes(person(5)), '38.2 keyed in is a fever');
  // Until the retry has run, nobody is on the call-back list.
  assert.equal(await h.count(page, 'count-callback'), 0);
  await h.screenshot(page, 'call-first-round');
  await page.close();
});

test('the retry fills the call-back list with the outcome of each attempt', async () => {
  const page = await session.context.newPage();
  assert.equal(await start(page, 'retry'), '架電を開始しました。対象者 3');
  const rounds = await waitForRound(page, '再架電');
  assert.match(rounds, /再架電: .*回答完了 1/, rounds);
  assert.equal(await h.count(page, 'count-reported'), 8, 'the call cut part-way at 9:00 answered in full at the retry');

  assert.equal(await h.count(page, 'count-callback'), 2);
  const rows = page.locator('#list-callback tbody tr');
  assert.deepEqual(await rows.evaluateAll((trs) => trs.map((r) => Number(r.dataset.caseId))), [person(7), person(9)]);
  const [noAnswer, busy] = await h.rowsByHeading(rows);
  assert.deepEqual([noAnswer['1回目'].text, noAnswer['再架電'].text], ['応答なし', '応答なし']);
  assert.deepEqual([busy['1回目'].text, busy['再架電'].text], ['話し中', '応答なし']);
  assert.match(noAnswer['架電先'].text, /^0\d/, 'the number called');
  // Pressing the button again the same day starts nothing.
  await h.clickAndWait(page, page.locator('#call-start-first button'));
  assert.match(page.url(), /call=not_started/);
  assert.match(await page.locator('#call-notice').innerText(), /すでに開始済み/);
  await page.locator('#call-section').scrollIntoViewIfNeeded();
  await h.screenshot(page, 'call-back-list');
  await page.close();
});

test('the person page shows the call log and switches the case between app and phone', async () => {
  const page = await session.context.newPage();
  const id = person(8);
  await page.goto(`/cases/${id}`);
  const log = await h.rowsByHeading(page.locator('#call-log tbody tr'));
  assert.deepEqual(log.map((r) => r['回'].text), ['再架電', '1回目'], 'newest first');
  assert.equal(log[0]['結果'].text, '回答完了');
  assert.match(log[1]['結果'].text, /^途中終了 \(\S+ で終了\)$/, 'where the cut call ended');
  for (const r of log) assert.match(r['発信時刻'].text, /^\d\d:\d\d$/);

  const form = page.locator('#call-enrol');
  assert.ok(await form.locator('input[value=phone]').isChecked(), 'observed by phone');
  await form.locator('input[value=app]').check();
  await h.clickAndWait(page, form.locator('button[type=submit]'));
  assert.match(page.url(), new RegExp(`/cases/${id}#call-person$`));
  assert.ok(await page.locator('#call-enrol input[value=app]').isChecked(), 'now observed by the app');

  // Back to the phone, at another number, in English.
  await page.locator('#call-enrol input[value=phone]').check();
  await page.locator('#call-enrol input[name=phone]').fill('03-5555-0123');
  await page.locator('#call-enrol select[name=lang]').selectOption('en');
  await h.clickAndWait(page, page.locator('#call-enrol button[type=submit]'));
  await page.reload();
  assert.ok(await page.locator('#call-enrol input[value=phone]').isChecked());
  assert.equal((await page.locator('#call-enrol input[name=phone]').inputValue()).replace(/\D/g, ''), '0355550123');
  assert.equal(await page.locator('#call-enrol select[name=lang]').inputValue(), 'en');
  await page.locator('#call-person').scrollIntoViewIfNeeded();
  await h.screenshot(page, 'call-person');

  // The access log: both changes of this case and the two rounds started.
  await page.goto('/admin/audit');
  const audit = await page.locator('#audit tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((td) => td.innerText.trim())));
  const changes = audit.filter((r) => r[2].startsWith('自動架電の設定を変更') && r[3] === `#${id}`);
  assert.equal(changes.length, 2, JSON.stringify(audit.slice(0, 10)));
  assert.equal(audit.filter((r) => r[2] === '自動架電を開始').length, 2, 'the first round and the retry');
  await page.close();
});
