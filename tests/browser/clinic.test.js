// Browser tests of the clinics: a demo clinic signs in on its own login page and files
// an outbreak notification through the form (a patient who fits no category is
// refused first); the centre sees it in its intake, accepts it and prints the leaflet;
// the patient registers with that input ID and reports the way the phone core does
// (through the patient API); the clinic sees the status, and the centre's statistics
// page counts the notifications and the reports (five people in one age band, so the
// cell is shown and not "<5"). Also: the daily counts form and the aggregate login.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const h = require('./helpers');

const centre = h.demo()[0];
const session = h.signedIn(centre);

/** The demo's clinic and aggregate logins. */
function orgLogins() {
  const text = fs.readFileSync(process.env.MIMAMORI_DEMO_FILE, 'utf8');
  const clinic = text.match(/^clinic (.+) \(id (\d+)\): login (\S+) \/ (\S+)$/m);
  const aggregate = text.match(/^aggregate statistics login (\S+) \/ (\S+)$/m);
  assert.ok(clinic && aggregate, 'the demo prints the clinic and aggregate logins');
  return { clinic: { name: clinic[1], email: clinic[3], password: clinic[4] }, aggregate: { email: aggregate[1], password: aggregate[2] } };
}
const logins = orgLogins();

// Five patients aged 73 (band 70–79), all in 港区 (the first demo centre).
const BORN = '1953-04-02';
const people = [0, 1, 2, 3, 4].map((i) => ({
  name: `届出 太郎${i}`,
  reading: `とどけで たろう${i}`,
  phone: `0906600${String(1000 + i)}`,
}));

async function clinicContext(browser) {
  const context = await h.newContext(browser);
  const page = await context.newPage();
  await page.goto('/clinic/login');
  await page.locator('#login input[name=email]').fill(logins.clinic.email);
  await page.locator('#login input[name=password]').fill(logins.clinic.password);
  await Promise.all([page.waitForURL((u) => u.pathname === '/clinic'), page.locator('#login button[type=submit]').click()]);
  await page.close();
  return context;
}

async function fillNotification(page, p, born) {
  const form = page.locator('#notification-form');
  await form.locator('input[name=doctor]').fill('港 一郎');
  await form.locator('input[name=name]').fill(p.name);
  await form.locator('input[name=name_reading]').fill(p.reading);
  await form.locator('select[name=sex]').selectOption('male');
  await form.locator('input[name=date_of_birth]').fill(born);
  await form.locator('input[name=municipality_code]').fill('13103');
  await form.locator('input[name=address]').fill('芝公園1-1');
  await form.locator('input[name=phone]').fill(p.phone);
  await form.locator('input[name=specimen_date]').fill(h.tokyoDate());
  await form.locator('input[value=diabetes]').check();
}

/** Today's cell of `table` for `kind` (or none) in the band column `band`. */
async function cell(page, table, band, kind) {
  const rows = await h.rowsByHeading(page.locator(`#${table} tbody tr`));
  const row = rows.find((r) => r['日付'].text === h.tokyoDate() && (!kind || r['区分'].text === kind));
  assert.ok(row, `today's row in ${table}`);
  return row[band].text;
}

let statsBefore;

test('the statistics page shows the figures before, with small counts hidden', async () => {
  const page = await session.context.newPage();
  await page.goto('/stats');
  assert.equal(await page.locator('#nav-stats').getAttribute('aria-current'), 'page');
  assert.equal(await page.locator('#stats-chart svg').count(), 1, 'the chart');
  statsBefore = {
    notifications: await cell(page, 'stats-notifications', '70〜79歳'),
    reported: await cell(page, 'stats-reported', '70〜79歳', '感染者'),
  };
  for (const v of Object.values(statsBefore)) assert.match(v, /^(0|<5|[5-9]|\d\d+)$/, 'a count is 0, <5 or 5 and more');
  const text = await page.locator('#stats').innerText();
  assert.doesNotMatch(text, /青木|木村|山田|佐藤/, 'no names on the statistics page');
  await h.screenshot(page, 'stats-before');
  await page.close();
});

test('a clinic files an outbreak notification; one that fits no category is refused', async () => {
  const context = await clinicContext(session.browser);
  const page = await context.newPage();
  await page.goto('/clinic/notifications/new');
  await fillNotification(page, people[0], '1990-01-01');
  await page.locator('input[name=categories][value=age65]').check();
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/clinic/notifications'),
    page.locator('#notification-form button[type=submit]').click(),
  ]);
  assert.equal(res.status(), 400);
  await page.waitForLoadState();
  assert.match(await page.locator('#error-categories').innerText(), /発生届の対象ではありません/);
  assert.equal(await page.locator('input[name=name]').inputValue(), people[0].name, 'what was typed is kept');
  await h.screenshot(page, 'clinic-form-refused');
  await page.locator('input[name=date_of_birth]').fill(BORN);
  await Promise.all([page.waitForURL((u) => u.pathname === '/clinic'), page.locator('#notification-form button[type=submit]').click()]);
  assert.match(await page.locator('#filed').innerText(), /保健所の確認を待っています/);
  const row = page.locator('#notifications tbody tr').first();
  assert.match(await row.innerText(), new RegExp(people[0].name));
  assert.match(await row.locator('.status').innerText(), /保健所の確認待ち/);
  // Four more of the same age through the clinic's API, the way another system would.
  const login = await h.api('POST', '/api/v1/clinic/login', { email: logins.clinic.email, password: logins.clinic.password });
  assert.equal(login.status, 200);
  for (const p of people.slice(1)) {
    const r = await h.api('POST', '/api/v1/clinic/notifications', {
      doctor: '港 一郎', report_date: h.tokyoDate(), name: p.name, name_reading: p.reading, sex: 'male', date_of_birth: BORN,
      municipality_code: '13103', address: '芝公園1-1', phone: p.phone, diagnosis_date: h.tokyoDate(), specimen_date: h.tokyoDate(),
      categories: ['age65'], vaccination: '3', severity: 'mild',
    }, login.json.token);
    assert.equal(r.status, 201, JSON.stringify(r.json));
  }
  await page.close();
  await context.close();
});

test('the centre accepts the notification, prints the leaflet, and the patient registers and reports with its input ID', async () => {
  const page = await session.context.newPage();
  await page.goto('/notifications');
  const link = page.locator('#queue-new a', { hasText: people[0].name });
  assert.equal(await link.count(), 1, 'the notification is in the intake queue');
  await h.clickAndWait(page, link);
  assert.match(await page.locator('#notification-fields').innerText(), /① 65歳以上の者/);
  await h.screenshot(page, 'intake-notification');
  await page.locator('#accept select[name=observation]').selectOption('app');
  await Promise.all([page.waitForURL(/\/cases\/\d+\/leaflet$/), page.locator('#accept button[type=submit]').click()]);
  const inputId = (await page.locator('#leaflet-input-id').innerText()).trim();
  assert.match(inputId, /^\d{6,7}$/);
  const pdf = await h.printA4(page, 'leaflet-from-notification');
  assert.equal(pdf.pages, 1, 'the leaflet prints on one A4 page');
  const token = await h.registerPatient({
    email: `notified0-${Date.now()}@example.jp`, password: 'Sora-to-umi-8', name: people[0].name, dateOfBirth: BORN, phone: people[0].phone, inputId,
  });
  await h.syncReports(token, [{ tenths: 378, answers: h.answers(h.Q.cough) }]);
  // The other four through the staff API: accepted, registered, reported.
  const staff = await h.api('POST', '/api/v1/staff/login', { email: centre.adminEmail, password: centre.password });
  assert.equal(staff.status, 200);
  const queue = await h.api('GET', '/api/v1/notifications', undefined, staff.json.token);
  for (const [i, p] of people.slice(1).entries()) {
    const n = queue.json.notifications.find((x) => x.name === p.name);
    assert.ok(n, `${p.name} is waiting`);
    const period = { observation: 'app', period_start: h.tokyoDate(), period_end: h.tokyoDate(9) };
    const accepted = await h.api('POST', `/api/v1/notifications/${n.id}/accept`, period, staff.json.token);
    assert.equal(accepted.status, 201, JSON.stringify(accepted.json));
    const t = await h.registerPatient({
      email: `notified${i + 1}-${Date.now()}@example.jp`, password: 'Sora-to-umi-8', name: p.name, dateOfBirth: BORN, phone: p.phone, inputId: accepted.json.input_id,
    });
    await h.syncReports(t, [{ tenths: 366 }]);
  }
  await page.close();
});

test('the clinic sees its notification accepted', async () => {
  const context = await clinicContext(session.browser);
  const page = await context.newPage();
  await page.goto('/clinic');
  const row = page.locator('#notifications tbody tr', { hasText: people[0].name });
  assert.match(await row.locator('.status').innerText(), /受理/);
  await page.close();
  await context.close();
});

test('the statistics page counts the notifications and the reports', async () => {
  const page = await session.context.newPage();
  await page.goto('/stats');
  const notifications = await cell(page, 'stats-notifications', '70〜79歳');
  const reported = await cell(page, 'stats-reported', '70〜79歳', '感染者');
  for (const [after, before] of [[notifications, statsBefore.notifications], [reported, statsBefore.reported]]) {
    assert.match(after, /^\d+$/, `five more in the cell: shown as a number (was ${before})`);
    assert.ok(Number(after) >= 5);
    if (/^\d+$/.test(before)) assert.equal(Number(after), Number(before) + 5);
  }
  const text = await page.locator('#stats').innerText();
  for (const p of people) assert.ok(!text.includes(p.name), 'no names on the statistics page');
  await h.screenshot(page, 'stats-after');
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#stats-csv').click()]);
  const csv = fs.readFileSync(await download.path(), 'utf8');
  assert.ok(csv.startsWith('\ufeff日付,項目,区分,年代,値'));
  assert.ok(!people.some((p) => csv.includes(p.name) || csv.includes(p.phone)), 'no names or phones in the CSV');
  await page.close();
});

test('daily counts: today is entered on the clinic page, an earlier day without an entry shows as missing', async () => {
  const context = await clinicContext(session.browser);
  const page = await context.newPage();
  await page.goto('/clinic/counts');
  const missing = page.locator('#count-days tr.missing');
  assert.ok((await missing.count()) >= 1, 'the demo left a day missing');
  assert.match(await missing.first().innerText(), /未入力/);
  await page.locator('#counts-form input[name=band7]').fill('３');
  await Promise.all([page.waitForURL(/saved=1/), page.locator('#counts-form button[type=submit]').click()]);
  const today = page.locator('#count-days tbody tr').first();
  assert.match(await today.getAttribute('class'), /entered/);
  assert.match(await today.innerText(), new RegExp(h.tokyoDate()));
  await h.screenshot(page, 'clinic-counts');
  await page.close();
  await context.close();
});

test('the aggregate login reads the whole server and nothing else', async () => {
  const context = await h.newContext(session.browser);
  const page = await context.newPage();
  await page.goto('/clinic/login');
  await page.locator('#login input[name=email]').fill(logins.aggregate.email);
  await page.locator('#login input[name=password]').fill(logins.aggregate.password);
  await Promise.all([page.waitForURL((u) => u.pathname === '/stats/all'), page.locator('#login button[type=submit]').click()]);
  assert.equal(await page.locator('#stats-summary tbody tr').count(), 14, 'the last two weeks');
  const res = await page.goto('/clinic/notifications/new');
  assert.equal(res.status(), 403, 'no clinic pages');
  await page.goto('/');
  assert.equal(new URL(page.url()).pathname, '/login', 'no centre pages');
  await page.close();
  await context.close();
});
