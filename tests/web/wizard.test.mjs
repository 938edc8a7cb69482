// The wizard end to end in the system's headless Chromium (puppeteer-core over
// the DevTools protocol), on a seeded SQLite district: every step a district
// person takes, checked in the page and in the database. Screenshots of each
// step go to $CPB_WEB_ARTEFACTS (default: a temporary folder). axe-core checks
// every step against WCAG 2.1 A and AA.
import {test, before, after} from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import {createRequire} from 'node:module';
import path from 'node:path';
import puppeteer from 'puppeteer-core';
import {sim, scratch, sqlite, serve, pageToken, post, planSupported, pluginArgs} from './support.mjs';

const HOSTILE = '<img src=x onerror=alert(1)>';
const FORMULA = '=HYPERLINK("http://attacker.example")';  // a last name a spreadsheet would run
const artefacts = process.env.CPB_WEB_ARTEFACTS || scratch('artefacts');
fs.mkdirSync(artefacts, {recursive: true});

const dir = scratch('wizard');
const db = path.join(dir, 'sis.db');
let server;
let browser;
let page;
let canPlan = false;
const alerts = [];
const foreignRequests = [];

const CONTACT_ROWS = 'SELECT person_id, cell_phone_messenger, work_phone_messenger, other_phone_messenger, email_messenger, ' +
  'secondary_email_messenger, modified_by_id, modified_date FROM contact ORDER BY person_id';
const HOUSEHOLD_ROWS = 'SELECT household_id, phone_messenger, modified_by_id, modified_date FROM household ORDER BY household_id';

async function shot(name, options = {}) {
  await page.screenshot({path: path.join(artefacts, `${name}.png`), fullPage: true, ...options});
}

// axe-core, read from node_modules and run in the page as DevTools evaluates it
// (not a script tag: the page's Content-Security-Policy stays as served).
const AXE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const WCAG21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

// Fails on any WCAG 2.1 A/AA violation axe finds in the page as it is now, naming
// each rule and the elements; `step` names the screenshot of the failure.
async function accessible(step) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(AXE);
  const violations = await page.evaluate(async (tags) => {
    const result = await window.axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
    return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n` +
      v.nodes.slice(0, 5).map((n) => `    ${n.target.join(' ')}: ${n.failureSummary.replace(/\s+/g, ' ')}`).join('\n') +
      (v.nodes.length > 5 ? `\n    … and ${v.nodes.length - 5} more` : ''));
  }, WCAG21_AA);
  if (violations.length) await shot(`axe-${step}`);
  assert.deepEqual(violations, [], `WCAG 2.1 AA violations at ${step}:\n${violations.join('\n')}`);
}

const visible = (selector) => page.waitForSelector(selector, {visible: true, timeout: 30000});

// Waits for `selector` to show, or fails at once with the error the page shows (and a screenshot).
async function outcome(selector, name) {
  const shown = await page.waitForFunction((s) => {
    const ok = document.querySelector(s);
    const errors = [...document.querySelectorAll('.error')].filter((e) => !e.hidden && e.offsetParent !== null);
    if (ok && !ok.hidden && ok.offsetParent !== null) return 'ok';
    return errors.length ? errors.map((e) => e.textContent).join(' | ') : false;
  }, {timeout: 60000}, selector);
  const value = await shown.jsonValue();
  if (value !== 'ok') {
    await shot(`failed-${name}`);
    assert.fail(`the page shows an error instead of ${selector}: ${value}`);
  }
}
const text = (selector) => page.$eval(selector, (e) => e.textContent);
// Decided when a step runs (after `before`): the steps that need plans skip, saying why, while the plugin lacks them.
const PLAN_MISSING = 'the plugin in this build does not plan yet (CONTRACT 9.1: action "plan")';
const needsPlan = (t) => {
  if (canPlan) return false;
  t.skip(PLAN_MISSING);
  return true;
};
// plan_rows filters (CONTRACT 12.3), as describe's options schema lists them.
let canFind = false;
function findSupported() {
  const schema = JSON.parse(sim('describe', ...pluginArgs)).options_schema;
  const planRows = (schema.oneOf || []).find((o) => o.properties?.action?.const === 'plan_rows');
  return ['search', 'device', 'warning'].every((k) => planRows?.properties?.[k]);
}
const needsFind = (t) => {
  if (needsPlan(t)) return true;
  if (canFind) return false;
  t.skip('the plugin in this build does not filter plan rows yet (CONTRACT 12.3: search, device, warning)');
  return true;
};

// The rows of a CSV as objects by the header's names (RFC 4180 quoting).
function parseCsv(csv) {
  const lines = [];
  let line = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < csv.length; ++i) {
    const c = csv[i];
    if (quoted) {
      if (c !== '"') field += c;
      else if (csv[i + 1] === '"') { field += '"'; ++i; } else quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === ',') { line.push(field); field = ''; } else if (c === '\n') { line.push(field); lines.push(line); line = []; field = ''; } else field += c;
  }
  const [head, ...rows] = lines;
  return rows.map((r) => Object.fromEntries(head.map((h, i) => [h, r[i]])));
}

// The toolbar and plan of the preview shown, from its download link: the flags of `sis-host-sim plan-rows`.
async function planArgs() {
  const q = new URL(await page.$eval('#download-changes', (a) => a.href)).searchParams;
  return {plan: q.get('plan_id'), args: ['--db', db, '--year', q.get('year'), '--school', q.get('school'), '--calendar', q.get('calendar'),
    '--user', q.get('user'), '--date', '2026-10-01', ...pluginArgs, '--plan', q.get('plan_id')]};
}
const cliRows = async (kind = 'changes') => parseCsv(sim('plan-rows', ...(await planArgs()).args, '--kind', kind, '--csv'));

// Presses Tab until the focused element matches `selector`; every element on
// the way must show its focus (an outline of 2 px or more, :focus-visible).
const unseenFocus = [];
async function tabTo(selector, max = 400) {
  for (let i = 0; i < max; ++i) {
    await page.keyboard.press('Tab');
    const at = await page.evaluate((s) => {
      const e = document.activeElement;
      if (!e || e === document.body) return {match: false, seen: true};
      const style = getComputedStyle(e);
      const seen = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
      return {match: e.matches(s), seen, what: e.id || e.getAttribute('aria-label') || e.textContent.trim().slice(0, 40) || e.tagName};
    }, selector);
    if (!at.seen) unseenFocus.push(at.what);
    if (at.match) return;
  }
  assert.fail(`Tab never reached ${selector}`);
}

before(async () => {
  sim('init', '--db', db);
  // 450 students: a preview of every school has more rows than one page of the plugin's largest (1,000).
  sim('seed', '--db', db, '--students', '450');
  // Hostile names: a school and the Messenger contact that sorts first; a formula for the CSV.
  sqlite(db, 'UPDATE school SET name = ? WHERE school_id = 1', [`${HOSTILE} Lincoln`]);
  sqlite(db, 'UPDATE person SET last_name = ?, first_name = ? WHERE person_id = 451', [HOSTILE, 'Hostile']);
  sqlite(db, 'UPDATE person SET last_name = ? WHERE person_id = 452', [FORMULA]);
  canPlan = planSupported(db);
  canFind = findSupported();
  // A short pause at each progress step: long enough to see progress and press Cancel.
  server = await serve(db, ['--progress-delay', '250']);
  const userDataDir = scratch('chromium-profile');
  browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    userDataDir,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', `--user-data-dir=${userDataDir}`],
  });
  page = await browser.newPage();
  await page.setViewport({width: 1280, height: 800});
  page.on('dialog', async (d) => { alerts.push(d.message()); await d.dismiss(); });
  page.on('request', (r) => { if (!r.url().startsWith(server.url) && !r.url().startsWith('data:')) foreignRequests.push(r.url()); });
  await page.goto(server.url, {waitUntil: 'networkidle0'});
  await page.waitForSelector('body[data-ready="true"]', {timeout: 30000});
});

after(async () => {
  if (browser) await browser.close();
  if (server) server.stop();
  console.log(`screenshots: ${artefacts}`);
});

test('the page is built from describe, with the toolbar and a simulator-only run-as picker', async () => {
  await shot('01-loaded');
  await accessible('01-loaded');
  const describe = JSON.parse(sim('describe', ...pluginArgs));
  assert.equal(await text('#tool-title'), describe.label);
  for (const r of describe.reasons) assert.ok(await page.$(`#grid select[data-reason="${r.name}"]`), r.name);
  for (const d of describe.devices) assert.ok(await page.$(`#grid select[data-device="${d.name}"]`), d.name);
  for (const m of describe.modes) assert.equal(await text(`label[for="mode-${m.name}"]`), m.label);
  const schools = await page.$$eval('#school option', (o) => o.map((x) => x.textContent));
  assert.equal(schools[0], 'All Schools');
  const calendars = await page.$$eval('#calendar option', (o) => o.map((x) => x.textContent));
  assert.equal(calendars[0], 'All Calendars');
  assert.match(await text('label[for="user"]'), /simulator only/);
  assert.deepEqual(foreignRequests, [], 'no request leaves the simulator');
});

test('every control has a label', async () => {
  const unlabelled = await page.$$eval('input, select, button, textarea', (controls) => controls
    .filter((c) => !c.closest('[hidden]'))
    .filter((c) => !(c.labels && c.labels.length) && !c.getAttribute('aria-label') && !c.getAttribute('aria-labelledby') && !c.textContent.trim())
    .map((c) => c.outerHTML));
  assert.deepEqual(unlabelled, []);
});

test('a hostile name from the database renders as text', async () => {
  const schools = await page.$$eval('#school option', (o) => o.map((x) => x.textContent));
  assert.ok(schools.includes(`${HOSTILE} Lincoln`), schools.join(' | '));
  assert.equal(await page.$('img'), null, 'no element was made from a name');
  assert.deepEqual(alerts, []);
});

test('the filter offers only filters of the mode\'s type the user may use, and is required for census/staff', async () => {
  await page.click('#mode-census_staff');
  const census = await page.$$eval('#filter option', (o) => o.map((x) => x.textContent));
  assert.ok(census.includes('Staff and coaches'), census.join(' | '));
  assert.ok(!census.includes('Every tenth student'));
  assert.equal(await page.$eval('#filter', (s) => s.required), true);
  await page.click('#mode-student_messenger_contacts');
  const students = await page.$$eval('#filter option', (o) => o.map((x) => x.textContent));
  assert.ok(students.includes('Every tenth student'));
  assert.ok(!students.includes('Secretary\'s students'), 'another user\'s private filter is not offered');
});

test('Staff is offered only in census/staff mode, as describe says, and leaving that mode clears it', async () => {
  const staff = () => page.$eval('#cell-staff-email', (s) => ({disabled: s.disabled, value: s.value,
    note: s.closest('tr').querySelector('.mode-note')?.textContent || ''}));
  await page.click('#mode-students');
  let cell = await staff();
  assert.equal(cell.disabled, true);
  assert.match(cell.note, /Only in Census\/staff filter mode/);
  assert.equal(await page.$eval('#cell-general-email', (s) => s.disabled), false, 'the other reasons stay offered');
  await page.click('#mode-census_staff');
  cell = await staff();
  assert.equal(cell.disabled, false);
  assert.equal(cell.note, '');
  await page.select('#cell-staff-email', 'on');
  await page.click('#mode-student_messenger_contacts');
  cell = await staff();
  assert.equal(cell.disabled, true);
  assert.equal(cell.value, 'no_change', 'a Staff choice does not travel to a mode that refuses it');
});

test('it is usable from the keyboard: Tab reaches Preview', async () => {
  await page.focus('#year');
  let reached = false;
  for (let i = 0; i < 200 && !reached; ++i) {
    await page.keyboard.press('Tab');
    reached = await page.evaluate(() => document.activeElement && document.activeElement.id === 'preview');
  }
  assert.ok(reached);
});

test('History lists a batch run from the command line; Undo restores it', async () => {
  const contacts = sqlite(db, CONTACT_ROWS);
  const options = path.join(dir, 'options.json');
  fs.writeFileSync(options, JSON.stringify({mode: 'students', preferences: {general: 'on', teacher: {email: 'off'}}}));
  const result = JSON.parse(sim('run', '--db', db, '--year', '2027', '--user', '1', '--date', '2026-10-01', ...pluginArgs, '--options', options));
  await page.click('#tab-history');
  const row = `#history tr[data-batch-id="${result.batch_id}"]`;
  await page.waitForSelector(row);
  assert.match(await text(`${row} .status`), /Applied/);
  assert.match(await text(row), /cells updated/);
  await page.click(`#history button[data-undo="${result.batch_id}"]`);
  await visible('#undo-result');
  assert.match(await text('#undo-summary'), /rows restored; 0 rows changed since the batch/);
  await page.waitForFunction((r) => /Undone/.test(document.querySelector(`${r} .status`).textContent), {}, row);
  assert.equal(await page.$(`#history button[data-undo="${result.batch_id}"]`), null, 'an undone batch offers no Undo');
  assert.match(await text(`#history tbody tr:first-child`), /rows restored/);
  await shot('02-history-undo-cli-batch');
  await accessible('02-history-undo-cli-batch');
  assert.deepEqual(sqlite(db, CONTACT_ROWS).map((r) => r.slice(0, 6)), contacts.map((r) => r.slice(0, 6)));
  await page.click('#tab-wizard');
});

let excludedPerson = null;
let changedPerson = null;
let appliedBatch = null;
let snapshot = null;

test('preview: school, calendar, mode and grid; the summary, warnings and table of people', async (t) => {
  if (needsPlan(t)) return;
  await page.select('#school', '1');
  await page.select('#calendar', '1');
  await page.click('#mode-student_messenger_contacts');
  await page.click('#grid button[data-reason="emergency"][data-value="on"]');
  await page.select('#cell-attendance-cell_phone', 'on');
  await shot('03-choices');
  await accessible('03-choices');
  snapshot = {contacts: sqlite(db, CONTACT_ROWS), households: sqlite(db, HOUSEHOLD_ROWS)};
  await page.click('#preview');
  await outcome('#plan', 'preview');
  await page.waitForSelector('#rows tbody tr');
  assert.match(await text('#plan-summary'), /\S/);
  assert.ok((await page.$$('#plan-warnings li')).length >= 1);
  await shot('04-preview-1280x800');
  await accessible('04-preview-1280x800');
  // The hostile contact sorts first: shown as text, nothing run.
  const names = await page.$$eval('#rows tbody td[data-label="Name"]', (c) => c.map((x) => x.textContent));
  assert.ok(names.some((n) => n.includes(HOSTILE)), names.slice(0, 5).join(' | '));
  assert.equal(await page.$('img'), null);
  assert.deepEqual(alerts, []);
  // The table pages with the plugin's cursor, and lists the people skipped and why.
  const firstPage = await text('#rows tbody');
  await page.click('#rows-next');
  await page.waitForFunction((before) => document.querySelector('#rows tbody').textContent !== before, {}, firstPage);
  assert.match(await text('#rows-page'), /^Rows 26–/);
  await page.click('#rows-prev');
  await page.waitForFunction((before) => document.querySelector('#rows tbody').textContent === before, {}, firstPage);
  await page.click('#rows-skipped');
  await page.waitForSelector('#rows td[data-label="Why"]');
  assert.match(await text('#rows tbody'), /no device/i);
  await shot('04b-preview-skipped');
  await accessible('04b-preview-skipped');
  await page.click('#rows-changes');
  await page.waitForSelector('#rows input[data-person-id]');
});

test('the whole plan downloads as the CSV of plan-rows --csv, fields guarded against formulas', async (t) => {
  if (needsPlan(t)) return;
  const downloads = scratch('downloads');
  const cdp = await page.createCDPSession();
  await cdp.send('Browser.setDownloadBehavior', {behavior: 'allow', downloadPath: downloads, eventsEnabled: true});
  const {plan} = await planArgs();
  for (const kind of ['changes', 'skipped']) {
    const done = new Promise((resolve, reject) => cdp.on('Browser.downloadProgress', (e) => {
      if (e.state === 'completed') resolve();
      if (e.state === 'canceled') reject(new Error(`the download of the ${kind} was cancelled`));
    }));
    await page.click(`#download-${kind}`);
    await done;
    const saved = fs.readFileSync(path.join(downloads, `plan-${plan}-${kind}.csv`), 'utf8');
    assert.equal(saved, sim('plan-rows', ...(await planArgs()).args, '--kind', kind, '--csv'), `the ${kind} are the CSV of plan-rows --csv`);
    assert.ok(parseCsv(saved).length > 25, `every ${kind} row, not one page`);
    if (kind === 'changes') assert.ok(saved.includes(`"'${FORMULA.replaceAll('"', '""')}, `), 'a name that starts with = is quoted and starts with \'');
  }
  await cdp.detach();
  // The download needs the page's token, and a refusal is the plugin's, as JSON.
  const href = new URL(await page.$eval('#download-changes', (a) => a.href));
  href.searchParams.delete('token');
  assert.equal((await fetch(href)).status, 403);
  href.searchParams.set('token', await pageToken(server.url));
  href.searchParams.set('plan_id', '999999');
  const refused = await fetch(href);
  assert.equal(refused.status, 422);
  assert.equal((await refused.json()).error.code, 'not_found');
});

test('untick one person and apply: the others are written, the unticked person is untouched', async (t) => {
  if (needsPlan(t)) return;
  const boxes = await page.$$eval('#rows input[data-person-id]', (b) => b.map((x) => Number(x.dataset.personId)));
  excludedPerson = boxes.find((id) => id !== 451);
  assert.ok(excludedPerson);
  await page.click(`#rows input[data-person-id="${excludedPerson}"]`);
  assert.match(await text('#excluded'), /1 person/);
  await shot('05-unticked');
  await accessible('05-unticked');
  await page.click('#apply');
  await outcome('#result', 'apply');
  assert.match(await text('#result-updated'), /^[\d,]+ preferences? updated$/);
  await shot('06-applied');
  await accessible('06-applied');
  appliedBatch = Number((await text('#result-title')).match(/Batch (\d+)/)[1]);
  const now = sqlite(db, CONTACT_ROWS);
  const before = new Map(snapshot.contacts.map((r) => [r[0], JSON.stringify(r)]));
  const changed = now.filter((r) => before.get(r[0]) !== JSON.stringify(r)).map((r) => r[0]);
  assert.ok(changed.length > 0, 'the others are written');
  assert.ok(!changed.includes(excludedPerson), `person ${excludedPerson} was left out`);
  changedPerson = changed.find((id) => id !== 451);
  for (const r of now.filter((x) => changed.includes(x[0]))) assert.equal(r[6], 1, 'modified by the user who ran it');
});

test('History shows the batch and its status', async (t) => {
  if (needsPlan(t)) return;
  assert.ok(appliedBatch, 'a batch was applied');
  await page.click('#tab-history');
  await page.waitForSelector(`#history tr[data-batch-id="${appliedBatch}"]`);
  assert.match(await text(`#history tr[data-batch-id="${appliedBatch}"] .status`), /Applied/);
  await shot('07-history');
  await accessible('07-history');
});

test('undo from History restores the rows and lists conflicts', async (t) => {
  if (needsPlan(t)) return;
  assert.ok(appliedBatch, 'a batch was applied');
  // Someone changes one of the batch's rows since: the undo leaves it alone and lists it.
  sqlite(db, 'UPDATE contact SET email_messenger = 255, cell_phone_messenger = 255, modified_by_id = 5 WHERE person_id = ?', [changedPerson]);
  const [[first, last]] = sqlite(db, 'SELECT first_name, last_name FROM person WHERE person_id = ?', [changedPerson]);
  await page.click(`#history button[data-undo="${appliedBatch}"]`);
  await outcome('#undo-result', 'undo');
  assert.match(await text('#undo-summary'), /rows restored; 1 row changed since the batch/);
  const conflicts = await page.$$eval('#conflicts td[data-label="Name"]', (c) => c.map((x) => x.textContent));
  assert.ok(conflicts.length >= 1 && conflicts.every((n) => n.includes(first) && n.includes(last)), conflicts.join(' | '));
  await page.waitForFunction((id) => {
    const s = document.querySelector(`#history tr[data-batch-id="${id}"] .status`);
    return s && /Undone/.test(s.textContent);  // or "Partially Undone"
  }, {}, appliedBatch);
  await shot('08-undone');
  await accessible('08-undone');
  const others = (rows) => rows.filter((r) => r[0] !== changedPerson).map((r) => r.slice(0, 6));
  assert.deepEqual(others(sqlite(db, CONTACT_ROWS)), others(snapshot.contacts));
  assert.deepEqual(sqlite(db, HOUSEHOLD_ROWS).map((r) => r.slice(0, 2)), snapshot.households.map((r) => r.slice(0, 2)));
});

// Waits for the rows after a filter: the status line changes from `before`.
async function rowsAfter(before) {
  await page.waitForFunction((b) => document.querySelector('#rows-page').textContent !== b, {timeout: 30000}, before);
  await outcome('#rows-page', 'rows');
}

test('a review finds people and households by name or id and by device; each warning shows its rows', async (t) => {
  if (needsFind(t)) return;
  await page.click('#tab-wizard');
  await page.click('#preview');
  await outcome('#plan', 'preview-to-find');
  await page.waitForSelector('#rows tbody tr');
  const all = await cliRows();
  assert.match(await text('#rows-page'), new RegExp(`of ${all.length.toLocaleString('en-US')}$`));
  // By name, case-insensitively: the rows whose name holds the text.
  const someone = all.find((r) => r.person_id && !r.name.startsWith('<') && !r.name.startsWith("'"));
  const part = someone.name.split(',')[1].trim().toUpperCase();
  let expected = all.filter((r) => r.name.toLowerCase().includes(part.toLowerCase()));
  let before = await text('#rows-page');
  await page.type('#find-search', part);
  await page.keyboard.press('Enter');
  await rowsAfter(before);
  assert.match(await text('#rows-page'), new RegExp(`of ${expected.length} that match \\(${all.length.toLocaleString('en-US')} in the plan\\)`));
  const names = await page.$$eval('#rows tbody td[data-label="Name"]', (c) => c.map((x) => x.textContent));
  assert.ok(names.length && names.every((n) => n.toLowerCase().includes(part.toLowerCase())), names.join(' | '));
  assert.match(await text('#rows-filter'), new RegExp(`matching “${part}”`));
  await shot('14-find-by-name');
  await accessible('14-find-by-name');
  // By id: the person's rows (or the household's).
  expected = all.filter((r) => r.person_id === someone.person_id || r.household_id === someone.person_id);
  before = await text('#rows-page');
  await page.$eval('#find-search', (i) => { i.value = ''; });
  await page.type('#find-search', someone.person_id);
  await page.click('#find-go');
  await rowsAfter(before);
  assert.match(await text('#rows-page'), new RegExp(`of ${expected.length} that match`));
  // By device, with no text.
  expected = all.filter((r) => r.device === 'email');
  before = await text('#rows-page');
  await page.$eval('#find-search', (i) => { i.value = ''; });
  await page.select('#find-device', 'email');
  await page.click('#find-go');
  await rowsAfter(before);
  assert.match(await text('#rows-page'), new RegExp(`of ${expected.length.toLocaleString('en-US')} that match`));
  const devices = await page.$$eval('#rows tbody td[data-label="Device"]', (c) => [...new Set(c.map((x) => x.textContent))]);
  assert.deepEqual(devices, ['E-mail']);
  await shot('15-find-by-device');
  await accessible('15-find-by-device');
  // A warning's link shows its rows, and the focus goes to what is shown.
  const warnings = await page.$$eval('#plan-warnings a[data-warning]', (a) => a.map((x) => x.dataset.warning));
  assert.ok(warnings.includes('reaches_non_targets'), warnings.join(' | '));
  before = await text('#rows-page');
  await page.click('#plan-warnings a[data-warning="reaches_non_targets"]');
  await rowsAfter(before);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'rows-filter');
  assert.match(await text('#rows-filter'), /of the warning “Reaches people not selected”/);
  assert.equal(await page.$eval('#find-device', (s) => s.value), '', 'a warning\'s rows are all of its rows');
  const kinds = await page.$$eval('#rows tbody td[data-label="Device"]', (c) => [...new Set(c.map((x) => x.textContent))]);
  assert.deepEqual(kinds, ['Household phone'], 'the household rows whose change reaches people not selected');
  await shot('16-warning-rows');
  await accessible('16-warning-rows');
  await page.setViewport({width: 400, height: 800});
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `the review is ${overflow} px wider than the window`);
  await shot('17-warning-rows-narrow-400');
  await accessible('17-warning-rows-narrow-400');
  await page.setViewport({width: 1280, height: 800});
  before = await text('#rows-page');
  await page.click('#find-clear');
  await rowsAfter(before);
  assert.equal(await page.$eval('#rows-filter', (p) => p.hidden), true);
});

test('"Leave out everyone shown" leaves out every row of a filter, on all pages; apply writes the others', async (t) => {
  if (needsFind(t)) return;
  // Every school: more rows match than the plugin's largest page holds.
  await page.select('#school', '0');
  await page.select('#calendar', '0');
  await page.click('#preview');
  await outcome('#plan', 'preview-every-school');
  await page.waitForSelector('#rows tbody tr');
  const all = await cliRows();
  const shown = all.filter((r) => r.name.toLowerCase().includes('family'));
  assert.ok(shown.length > 1000, `${shown.length} rows match: more than one page of 1,000`);
  const persons = new Set(shown.filter((r) => r.person_id).map((r) => Number(r.person_id)));
  const households = new Set(shown.filter((r) => !r.person_id).map((r) => Number(r.household_id)));
  const before = await text('#rows-page');
  await page.type('#find-search', 'family');
  await page.keyboard.press('Enter');
  await rowsAfter(before);
  await visible('#bulk');
  await page.click('#bulk-leave-out');
  await page.waitForFunction(() => /Left out in total/.test(document.querySelector('#excluded').textContent));
  const plural = (n, one, many) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
  assert.equal(await text('#excluded'), `Left out in total: ${plural(persons.size, 'person', 'people')} and ${plural(households.size, 'household', 'households')}.`);
  assert.deepEqual(await page.$$eval('#rows input[type="checkbox"]', (b) => b.filter((x) => x.checked).length), 0, 'the rows shown are unticked');
  await shot('18-left-out-everyone-shown');
  await accessible('18-left-out-everyone-shown');
  // Include everyone shown takes them back; leaving them out again is the same set.
  await page.click('#bulk-put-back');
  await page.waitForFunction(() => document.querySelector('#excluded').textContent === 'Left out: nobody.');
  await page.click('#bulk-leave-out');
  await page.waitForFunction(() => /Left out in total/.test(document.querySelector('#excluded').textContent));
  const contacts = sqlite(db, CONTACT_ROWS);
  const homes = sqlite(db, HOUSEHOLD_ROWS);
  const sent = [];
  const listen = (r) => { if (r.method() === 'POST' && r.url().endsWith('/api/jobs')) sent.push(JSON.parse(r.postData()).options); };
  page.on('request', listen);
  await page.click('#apply');
  await outcome('#result', 'apply-left-out');
  page.off('request', listen);
  const applied = sent.find((o) => o.action === 'apply');
  assert.deepEqual(new Set(applied.exclude_person_ids), persons, 'the apply leaves out exactly the people found');
  assert.deepEqual(new Set(applied.exclude_household_ids), households, 'and exactly the households found');
  const changedContacts = sqlite(db, CONTACT_ROWS).filter((r, i) => JSON.stringify(r) !== JSON.stringify(contacts[i])).map((r) => r[0]);
  const changedHomes = sqlite(db, HOUSEHOLD_ROWS).filter((r, i) => JSON.stringify(r) !== JSON.stringify(homes[i])).map((r) => r[0]);
  assert.deepEqual(changedContacts.filter((id) => persons.has(id)), [], 'nobody left out was written');
  assert.deepEqual(changedHomes.filter((id) => households.has(id)), [], 'no household left out was written');
  const others = new Set(all.filter((r) => r.person_id && !persons.has(Number(r.person_id))).map((r) => Number(r.person_id)));
  assert.deepEqual(new Set(changedContacts), others, 'everyone else in the plan was written');
});

test('the keyboard alone runs the wizard: choose, preview, untick, apply, confirm Emergency Off, undo; focus shows; progress and results are announced', async (t) => {
  if (needsPlan(t)) return;
  await page.goto(server.url, {waitUntil: 'networkidle0'});
  await page.waitForSelector('body[data-ready="true"]');
  assert.deepEqual(await page.$eval('#announce', (e) => [e.getAttribute('role'), e.getAttribute('aria-live'), e.closest('[hidden]') === null]),
    ['status', 'polite', true], 'one polite live region, never hidden');
  await page.evaluate(() => {
    window.said = [];
    const region = document.getElementById('announce');
    new MutationObserver(() => window.said.push(region.textContent)).observe(region, {childList: true, characterData: true, subtree: true});
  });
  const contacts = sqlite(db, CONTACT_ROWS);
  const homes = sqlite(db, HOUSEHOLD_ROWS);
  unseenFocus.length = 0;
  await tabTo('#grid button[data-reason="emergency"][data-value="off"]');
  await page.keyboard.press('Space');
  assert.equal(await page.$eval('#cell-emergency-email', (s) => s.value), 'off');
  await tabTo('#preview');
  await page.keyboard.press('Enter');
  await outcome('#plan', 'keyboard-preview');
  await page.waitForSelector('#rows tbody input[type="checkbox"]');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'plan', 'the focus moves to the preview');
  await tabTo('#rows tbody input[type="checkbox"]');
  const unticked = await page.evaluate(() => ({person: Number(document.activeElement.dataset.personId) || null,
    household: Number(document.activeElement.dataset.householdId) || null}));
  await page.keyboard.press('Space');
  assert.match(await text('#excluded'), unticked.person ? /1 person/ : /1 household/);
  await tabTo('#apply');
  await page.keyboard.press('Enter');
  await visible('#confirm');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'confirm-cancel', 'the safe choice has the focus');
  await accessible('19-keyboard-confirm');
  await tabTo('#confirm-ok');
  await page.keyboard.press('Enter');
  await outcome('#result', 'keyboard-apply');
  const batch = Number((await text('#result-title')).match(/Batch (\d+)/)[1]);
  const written = sqlite(db, CONTACT_ROWS);
  assert.ok(written.some((r, i) => JSON.stringify(r) !== JSON.stringify(contacts[i])), 'the batch wrote');
  if (unticked.person) assert.deepEqual(written.find((r) => r[0] === unticked.person), contacts.find((r) => r[0] === unticked.person), 'the unticked person is untouched');
  else assert.deepEqual(sqlite(db, HOUSEHOLD_ROWS).find((r) => r[0] === unticked.household), homes.find((r) => r[0] === unticked.household), 'the unticked household is untouched');
  await shot('19-keyboard-applied');
  await tabTo('#result-history');
  await page.keyboard.press('Enter');
  await page.waitForSelector(`#history button[data-undo="${batch}"]`);
  await tabTo(`#history button[data-undo="${batch}"]`);
  await page.keyboard.press('Enter');
  await outcome('#undo-result', 'keyboard-undo');
  assert.deepEqual(sqlite(db, CONTACT_ROWS).map((r) => r.slice(0, 6)), contacts.map((r) => r.slice(0, 6)), 'the undo restored every contact');
  assert.deepEqual(sqlite(db, HOUSEHOLD_ROWS).map((r) => r.slice(0, 2)), homes.map((r) => r.slice(0, 2)));
  await shot('20-keyboard-undone');
  assert.deepEqual(unseenFocus, [], 'every element the Tab key reached showed its focus');
  const said = await page.evaluate(() => window.said);
  for (const expected of [/^Previewing…/, /^Preview ready\. \S/, /^Applying…/, new RegExp(`^Batch ${batch} applied: [\\d,]+ preferences? updated`),
    new RegExp(`^Undoing batch ${batch}…`), new RegExp(`^Batch ${batch} undone by batch \\d+\\. [\\d,]+ rows restored`)])
    assert.ok(said.some((m) => expected.test(m)), `announced ${expected}: ${said.join(' | ')}`);
});

test('Emergency Off asks for confirmation before it applies', async (t) => {
  if (needsPlan(t)) return;
  await page.click('#tab-wizard');
  await page.click('#grid button[data-reason="emergency"][data-value="off"]');
  await page.click('#grid button[data-reason="attendance"][data-value="no_change"]');
  await page.click('#preview');
  await outcome('#plan', 'preview-emergency-off');
  const batches = sqlite(db, 'SELECT COUNT(*) FROM cpb_batch')[0][0];
  await page.click('#apply');
  await visible('#confirm');
  assert.match(await text('#confirm-title'), /off\?/i);
  await shot('09-emergency-off-confirm');
  await accessible('09-emergency-off-confirm');
  await page.click('#confirm-cancel');
  await page.waitForSelector('#confirm', {hidden: true});
  assert.equal(sqlite(db, 'SELECT COUNT(*) FROM cpb_batch')[0][0], batches, 'going back writes nothing');
  await page.click('#apply');
  await visible('#confirm');
  await page.click('#confirm-ok');
  await outcome('#result', 'apply-emergency-off');
  assert.match(await text('#result-updated'), /updated/);
  assert.equal(sqlite(db, 'SELECT COUNT(*) FROM cpb_batch')[0][0], batches + 1);
});

test('a long run shows progress, and Cancel really cancels', async (t) => {
  if (needsPlan(t)) return;
  await page.click('#tab-wizard');
  await page.click('#grid button[data-reason="emergency"][data-value="no_change"]');
  await page.click('#grid button[data-reason="general"][data-value="on"]');
  await page.click('#preview');
  await outcome('#plan', 'preview-to-cancel');
  const contacts = sqlite(db, CONTACT_ROWS);
  const batches = sqlite(db, 'SELECT COUNT(*) FROM cpb_batch')[0][0];
  await page.click('#apply');
  await visible('#run');
  await page.waitForFunction(() => /step \d+ of \d+/.test(document.querySelector('#run-phase').textContent));
  await shot('10-progress');
  await page.click('#run-cancel');
  await visible('#error');
  assert.match(await text('#error'), /Cancelled/);
  await shot('11-cancelled');
  await accessible('11-cancelled');
  assert.deepEqual(sqlite(db, CONTACT_ROWS), contacts, 'nothing written');
  assert.equal(sqlite(db, 'SELECT COUNT(*) FROM cpb_batch')[0][0], batches, 'no batch recorded');
});

test('errors show the plugin\'s message', async () => {
  await page.click('#tab-wizard');
  for (const b of await page.$$('#grid button[data-value="no_change"]')) await b.click();
  await page.click('#preview');
  await visible('#error');
  const message = await text('#error');
  assert.match(message, /refused/);
  assert.doesNotMatch(message, /SELECT|INSERT|UPDATE|at .*\.cpp/);
  await shot('12-error');
  await accessible('12-error');
});

test('it works 400 px wide', async () => {
  await page.setViewport({width: 400, height: 800});
  await page.click('#grid button[data-reason="emergency"][data-value="on"]');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `the page is ${overflow} px wider than the window`);
  await shot('13-narrow-400');
  await accessible('13-narrow-400');
  await page.setViewport({width: 1280, height: 800});
});

test('state changes need POST with the page token; bodies are size-limited; a foreign Host is refused', async () => {
  const token = await pageToken(server.url);
  const body = {toolbar: {year: 2027, user: 1}, options: {action: 'undo', batch_id: 1}};
  const noToken = await fetch(`${server.url}api/jobs`, {method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify(body)});
  assert.equal(noToken.status, 403);
  const form = await fetch(`${server.url}api/jobs`, {method: 'POST', headers: {'Content-Type': 'application/x-www-form-urlencoded', 'X-CPB-Token': token}, body: 'a=1'});
  assert.equal(form.status, 415);
  const get = await fetch(`${server.url}api/jobs/1/cancel`);
  assert.equal(get.status, 404, 'no state change by GET');
  const big = await post(`${server.url}api/jobs`, token, {toolbar: {year: 2027, user: 1}, options: {pad: 'x'.repeat(400 * 1024)}});
  assert.equal(big.status, 413);
  assert.equal(big.json.error.message, 'the request is too large');
  const url = new URL(server.url);
  const {request} = await import('node:http');
  const status = await new Promise((resolve, reject) => {
    request({host: url.hostname, port: url.port, path: '/api/host', headers: {Host: 'attacker.example'}}, (r) => { r.resume(); resolve(r.statusCode); })
      .on('error', reject).end();
  });
  assert.equal(status, 403);
});
