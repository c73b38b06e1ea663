// Browser tests of transferring a case to another health centre through the person
// page's transfer form: the confirmation dialog guards it; afterwards the case is gone
// from centre 1 (list, search, its URL is 404) and centre 2's admin sees it with its
// reports, its contact log and the transfer record.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./helpers');

const centres = h.demo();
const [from, to] = centres;
const chromium = h.signedIn();

test('a case moves to centre 2 with its history', async () => {
  const ctx1 = await h.staffContext(chromium.browser, from);
  const page = await ctx1.newPage();
  const person = { name: '移管 花子', reading: 'いかん はなこ', dateOfBirth: '1990-02-20', phone: '070-7777-8888' };
  const { id, inputId } = await h.registerCase(page, person);
  const token = await h.registerPatient({
    email: 'ikan.hanako@example.jp',
    password: 'Umi-no-soko-no-3',
    name: person.name,
    dateOfBirth: person.dateOfBirth,
    phone: person.phone,
    inputId,
  });
  await h.syncReports(token, [{ tenths: 369 }]);

  await page.goto(`/cases/${id}`);
  const contact = page.locator('#contact-form');
  await contact.locator('select[name=outcome]').selectOption('reached');
  await contact.locator('textarea[name=note]').fill('転居予定とのこと。');
  await h.clickAndWait(page, contact.locator('button[type=submit]'));

  const form = page.locator('#transfer-form');
  const options = await form.locator('select[name=to_centre] option').allInnerTexts();
  assert.ok(options.includes(to.name), `centre 2 is offered: ${options}`);
  assert.ok(!options.includes(from.name), 'not the own centre');
  await form.locator('select[name=to_centre]').selectOption({ label: to.name });
  await form.locator('input[name=reason]').fill('さくら市へ転居のため');

  // Cancelling the confirmation keeps the case here.
  const dialogs = [];
  const dismiss = async (d) => {
    dialogs.push({ type: d.type(), message: d.message() });
    await d.dismiss();
  };
  page.on('dialog', dismiss);
  await form.locator('button[type=submit]').click();
  await page.waitForTimeout(300);
  page.off('dialog', dismiss);
  assert.equal(dialogs.length, 1, 'a confirmation is asked');
  assert.equal(dialogs[0].type, 'confirm');
  assert.equal(dialogs[0].message, '移管すると、この保健所からは見えなくなります。');
  assert.equal(new URL(page.url()).pathname, `/cases/${id}`, 'cancelled: nothing sent');
  assert.deepEqual(await h.searchCases(page, '移管'), [id], 'still at centre 1');

  // Accepting it transfers the case.
  await page.goto(`/cases/${id}`);
  await form.locator('select[name=to_centre]').selectOption({ label: to.name });
  await form.locator('input[name=reason]').fill('さくら市へ転居のため');
  page.once('dialog', (d) => d.accept());
  await Promise.all([page.waitForURL((u) => u.pathname === '/cases'), form.locator('button[type=submit]').click()]);

  assert.deepEqual(await h.searchCases(page, '移管'), [], 'gone from the search');
  assert.deepEqual(await h.searchCases(page, inputId), [], 'also by input ID');
  await page.goto('/cases');
  const all = await page.locator('#cases tbody tr').evaluateAll((rows) => rows.map((r) => Number(r.dataset.caseId)));
  assert.ok(!all.includes(id), 'gone from the case list');
  for (const path of [`/cases/${id}`, `/cases/${id}/leaflet`]) {
    const res = await page.goto(path);
    assert.equal(res.status(), 404, `${path} is not found for centre 1`);
    assert.match(await page.locator('main').innerText(), /見つかりません/);
  }
  await page.goto('/');
  const board = await page.locator('#board').innerText();
  assert.doesNotMatch(board, /移管 花子/, 'not on centre 1\'s board');
  await ctx1.close();

  // Centre 2 has it, with everything.
  const ctx2 = await h.staffContext(chromium.browser, to);
  const p2 = await ctx2.newPage();
  assert.deepEqual(await h.searchCases(p2, '移管'), [id], 'centre 2 finds the case');
  await p2.goto('/');
  assert.equal((await p2.locator('header.top .centre').innerText()).trim(), to.name);
  assert.ok(
    (await p2.locator('#list-reported tbody tr').evaluateAll((rows) => rows.map((r) => Number(r.dataset.caseId)))).includes(id),
    'on centre 2\'s board among today\'s reports',
  );
  await p2.goto(`/cases/${id}`);
  assert.match(await p2.locator('#person h1').innerText(), /移管 花子/);
  assert.equal((await p2.locator('#case-input-id').innerText()).trim(), inputId);
  assert.equal(await p2.locator('#timeline tbody tr').count(), 1, 'the report came along');
  assert.equal((await h.rowsByHeading(p2.locator('#timeline tbody tr')))[0]['体温'].text, '36.9');
  const contacts = (await p2.locator('#contacts tbody tr').allInnerTexts()).join('\n');
  assert.match(contacts, /転居予定とのこと。/, 'the contact log came along');
  assert.match(contacts, new RegExp(from.adminName));
  const transfers = p2.locator('#transfers tbody tr');
  assert.equal(await transfers.count(), 1, 'the transfer is recorded');
  const cells = Object.values((await h.rowsByHeading(transfers))[0]).map((c) => c.text);
  assert.match(cells[0], /^\d{4}-\d\d-\d\d \d\d:\d\d$/, 'when');
  assert.ok(cells.includes(`${from.name} → ${to.name}`), `from and to: ${cells}`);
  assert.ok(cells.includes(from.adminName), `who: ${cells}`);
  assert.ok(cells.includes('さくら市へ転居のため'), `why: ${cells}`);
  // The leaflet now names centre 2 and its emergency number.
  await p2.goto(`/cases/${id}/leaflet`);
  assert.equal((await p2.locator('#leaflet-centre').innerText()).trim(), to.name);
  assert.equal((await p2.locator('#leaflet-emergency').innerText()).trim(), to.emergency);
  await p2.goto(`/cases/${id}`);
  await h.screenshot(p2, 'transferred-person');

  // The patient's app now shows centre 2 too.
  const profile = await h.api('GET', '/api/v1/profile', undefined, token);
  assert.equal(profile.status, 200);
  assert.equal(profile.json.centre_name, to.name);
  assert.equal(profile.json.emergency_number, to.emergency);
  await ctx2.close();
});
