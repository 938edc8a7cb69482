// The reference wizard of the Contact Preferences Batch tool. Everything it
// says about reasons, devices, modes and values comes from the plugin's
// describe JSON; every name from the database is set as text (textContent),
// never as markup.
'use strict';

const token = document.querySelector('meta[name="cpb-token"]').content;
const $ = (id) => document.getElementById(id);

// el('td', {class: 'x', text: name}, child...): an element; strings become text nodes.
function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'text') e.textContent = String(v);
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return e;
}

class ApiError extends Error {
  constructor(error) {
    super(error.message || 'The request failed.');
    this.code = error.code || 'internal';
    this.path = error.path || null;
  }
}

async function api(path, body) {
  const init = body === undefined ? {} : {
    method: 'POST',
    headers: {'Content-Type': 'application/json', 'X-CPB-Token': token},
    body: JSON.stringify(body),
  };
  const response = await fetch(path, init);
  let json;
  try {
    json = await response.json();
  } catch (e) {
    throw new ApiError({code: 'internal', message: `The simulator answered ${response.status} without JSON.`});
  }
  if (!response.ok || (json && json.error)) throw new ApiError(json && json.error ? json.error : {message: `HTTP ${response.status}`});
  return json;
}

const state = {
  describe: null,
  host: null,
  filters: [],
  plan: null,            // {toolbar, options, result}
  rowsKind: 'changes',
  cursors: [null],
  page: 0,
  find: {search: '', device: '', warning: ''},  // the filters of the rows shown (CONTRACT 12.3), as last asked
  totals: {},            // rows of each kind in the whole plan, once read without a filter
  rowsRequest: 0,        // the latest rows request: an older answer arriving late is dropped
  excludedPersons: new Set(),
  excludedHouseholds: new Set(),
  job: null,
};

// "no_change" -> "No Change"
const humanize = (name) => String(name).split('_').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(' ');
const reasonLabel = (name) => (state.describe.reasons.find((r) => r.name === name) || {label: humanize(name)}).label;
const deviceLabel = (name) => (state.describe.devices.find((d) => d.name === name) || {label: humanize(name)}).label;
const modeInfo = (name) => state.describe.modes.find((m) => m.name === name);
const modeLabel = (name) => (modeInfo(name) || {label: name}).label;
// Labelled lists of describe 1.1 (value_labels, overwrite_policies, skip_reasons, confirmations), names alone in 1.0.
const labelled = (list, fallback) => (list || fallback || []).map((o) => (typeof o === 'string' ? {name: o, label: humanize(o)} : o));
const labelOf = (list, name) => (labelled(list).find((o) => o.name === name) || {label: humanize(name)}).label;
const overwriteChoices = () => labelled(state.describe.overwrite_policies, state.describe.overwrite);
const valueLabel = (v) => labelOf(state.describe.value_labels || state.describe.values, v);
const whyLabel = (why) => labelOf(state.describe.skip_reasons, why);
const warningLabel = (code) => labelOf(state.describe.warnings, code);
const yearLabel = (y) => `${y - 1}-${String(y % 100).padStart(2, '0')}`;
const number = (n) => Number(n || 0).toLocaleString('en-US');

// The one live region for progress and results (role=status): what a sighted
// person sees change, said to a screen reader.
function announce(message) { $('announce').textContent = message; }

function showError(box, error) {
  box.replaceChildren();
  box.append(el('strong', {text: error.code === 'cancelled' ? 'Cancelled. ' : 'The tool refused: '}), error.message);
  if (error.path) box.append(el('span', {class: 'path', text: ` (at ${error.path})`}));
  box.hidden = false;
}

// ---- toolbar ---------------------------------------------------------------

function toolbar() {
  return {
    year: Number($('year').value),
    school: Number($('school').value),
    calendar: Number($('calendar').value),
    user: Number($('user').value),
  };
}

function fillSelect(select, options, keep) {
  const previous = keep ? select.value : null;
  select.replaceChildren(...options.map(([value, text]) => el('option', {value, text})));
  if (previous !== null && options.some(([v]) => String(v) === previous)) select.value = previous;
}

function fillCalendars() {
  const {year, school} = toolbar();
  const calendars = state.host.calendars.filter((c) => c.year === year && (!school || c.school_id === school));
  fillSelect($('calendar'), [[0, 'All Calendars'], ...calendars.map((c) => [c.id, c.name])], true);
}

async function fillFilters() {
  const user = toolbar().user;
  state.filters = user ? await api(`/api/filters?user=${user}`) : [];
  fillFilterChoices();
}

function selectedMode() {
  const checked = document.querySelector('input[name="mode"]:checked');
  return checked ? modeInfo(checked.value) : state.describe.modes[0];
}

// Only filters of the mode's type that the user may use; required for some modes.
function fillFilterChoices() {
  const mode = selectedMode();
  const usable = state.filters.filter((f) => f.type === mode.filter_type);
  const choices = usable.map((f) => [f.id, f.name]);
  if (!mode.filter_required) choices.unshift(['', 'None: everyone selected']);
  else choices.unshift(['', usable.length ? 'Choose a filter' : 'No filter of this kind available']);
  fillSelect($('filter'), choices, true);
  $('filter-label').textContent = `Ad hoc filter (${mode.filter_type})${mode.filter_required ? ', required' : ''}`;
  $('filter').required = !!mode.filter_required;
  $('filter-help').textContent = mode.filter_required
    ? `Required for ${mode.label}: the filter's members are the people updated.`
    : 'Optional: narrows the students to the filter\'s members.';
}

// ---- the form, from describe -------------------------------------------------

function buildModes() {
  const box = $('modes');
  state.describe.modes.forEach((m, i) => {
    const id = `mode-${m.name}`;
    box.append(el('div', {class: 'choice'},
      el('input', {type: 'radio', name: 'mode', id, value: m.name, checked: i === 0, 'aria-describedby': `${id}-help`, onchange: () => { fillFilterChoices(); offerReasonsOfMode(); invalidate(); }}),
      el('label', {for: id, text: m.label}),
      el('p', {id: `${id}-help`, class: 'help', text: m.description})));
  });
}

function buildOverwrite() {
  const box = $('overwrite');
  overwriteChoices().forEach((o, i) => {
    const id = `overwrite-${o.name}`;
    box.append(el('div', {class: 'choice'},
      el('input', {type: 'radio', name: 'overwrite', id, value: o.name, checked: i === 0, onchange: invalidate,
        'aria-describedby': o.description ? `${id}-help` : null}),
      el('label', {for: id, text: o.label}),
      o.description ? el('p', {id: `${id}-help`, class: 'help', text: o.description}) : null));
  });
}

function buildGrid() {
  const {reasons, devices, values} = state.describe;
  const head = el('tr', {}, el('th', {scope: 'col', text: 'Reason'}),
    ...devices.map((d) => el('th', {scope: 'col', text: d.label, title: d.description})),
    el('th', {scope: 'col', text: 'Whole reason'}));
  const body = el('tbody');
  for (const r of reasons) {
    const row = el('tr', {}, el('th', {scope: 'row'}, el('span', {class: 'reason', text: r.label}), el('span', {class: 'help', text: r.description})));
    for (const d of devices) {
      const select = el('select', {id: `cell-${r.name}-${d.name}`, 'data-reason': r.name, 'data-device': d.name,
        'aria-label': `${r.label}, ${d.label}`, onchange: (e) => { paintCell(e.target); invalidate(); }},
      ...values.map((v) => el('option', {value: v, text: valueLabel(v), selected: v === 'no_change'})));
      paintCell(select);
      row.append(el('td', {'data-label': d.label}, select));
    }
    const shortcuts = el('td', {class: 'shortcuts', 'data-label': 'Whole reason'},
      ...values.map((v) => el('button', {type: 'button', class: 'small', 'data-reason': r.name, 'data-value': v, text: valueLabel(v),
        'aria-label': `${r.label}: ${valueLabel(v)} on every device`, onclick: () => setReason(r.name, v)})));
    row.append(shortcuts);
    body.append(row);
  }
  $('grid').replaceChildren(el('caption', {class: 'visually-hidden', text: 'Preference for each reason and device'}), el('thead', {}, head), body);
}

function paintCell(select) { select.dataset.value = select.value; }

// A reason only some modes may set (describe 1.1: the reason's "modes"; Staff:
// census/staff only) is shown but not offered in the others: its cells go back
// to No Change and its row says where it can be set.
function offerReasonsOfMode() {
  const mode = selectedMode();
  for (const r of state.describe.reasons) {
    const offered = !Array.isArray(r.modes) || r.modes.includes(mode.name);
    const row = document.querySelector(`#grid select[data-reason="${r.name}"]`).closest('tr');
    row.classList.toggle('unavailable', !offered);
    for (const control of row.querySelectorAll('select, button')) {
      if (!offered && control.tagName === 'SELECT') { control.value = 'no_change'; paintCell(control); }
      control.disabled = !offered;
    }
    const note = row.querySelector('.mode-note');
    const where = offered ? '' : `Only in ${r.modes.map(modeLabel).join(', ')} mode.`;
    if (note) note.textContent = where;
    else if (where) row.querySelector('th').append(el('span', {class: 'help mode-note', text: where}));
  }
}

function setReason(reason, value) {
  for (const s of document.querySelectorAll(`#grid select[data-reason="${reason}"]`)) { s.value = value; paintCell(s); }
  invalidate();
}

// {reason: "on"} when every device agrees, else {reason: {device: value}}; No Change left out.
function preferences() {
  const out = {};
  for (const r of state.describe.reasons) {
    const cells = [...document.querySelectorAll(`#grid select[data-reason="${r.name}"]`)];
    const asked = cells.filter((s) => s.value !== 'no_change');
    if (!asked.length) continue;
    if (asked.length === cells.length && asked.every((s) => s.value === asked[0].value)) out[r.name] = asked[0].value;
    else out[r.name] = Object.fromEntries(asked.map((s) => [s.dataset.device, s.value]));
  }
  return out;
}

// The guardrail of the contract: Emergency Off needs the user's confirmation.
const turnsEmergencyOff = (prefs) => {
  const e = prefs.emergency;
  return e === 'off' || (e && typeof e === 'object' && Object.values(e).includes('off'));
};

function planOptions() {
  const prefs = preferences();
  const options = {
    action: 'plan',
    mode: selectedMode().name,
    preferences: prefs,
    overwrite: document.querySelector('input[name="overwrite"]:checked').value,
  };
  if ($('filter').value) options.ad_hoc_filter_id = Number($('filter').value);
  // A plan writes nothing; the confirmation is asked before Apply Changes.
  if (turnsEmergencyOff(prefs)) options.confirm = ['emergency_off'];
  return options;
}

// Any change to the inputs makes the preview stale.
function invalidate() {
  if (!state.plan) return;
  state.plan = null;
  $('plan').hidden = true;
}

// ---- runs: progress and Cancel -------------------------------------------------

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function runJob(body, busyText) {
  const started = await api('/api/jobs', body);
  state.job = started.job;
  $('run').hidden = false;
  $('run-cancel').disabled = false;
  $('run-cancel').textContent = 'Cancel';
  $('run-phase').textContent = busyText;
  $('run-progress').removeAttribute('value');
  announce(busyText);
  let phase = null;
  setBusy(true);
  try {
    for (;;) {
      const s = await api(`/api/jobs/${started.job}`);
      if (s.total > 0 && s.phase !== phase) {
        phase = s.phase;
        announce(`${busyText} ${s.phase}`);
      }
      if (s.total > 0) {
        $('run-progress').max = s.total;
        $('run-progress').value = Math.min(s.done + 1, s.total);
        $('run-phase').textContent = `${busyText} ${s.phase} (step ${Math.min(s.done + 1, s.total)} of ${s.total})${s.cancelling ? ', cancelling' : ''}`;
      }
      if (s.finished) {
        if (s.failure) throw new ApiError(s.failure.error || {});
        return s.result;
      }
      await sleep(150);
    }
  } finally {
    state.job = null;
    $('run').hidden = true;
    setBusy(false);
  }
}

function setBusy(busy) {
  for (const id of ['preview', 'apply']) $(id).disabled = busy;
  for (const b of document.querySelectorAll('#history button')) b.disabled = busy;
}

async function cancelJob() {
  if (!state.job) return;
  $('run-cancel').disabled = true;
  $('run-cancel').textContent = 'Cancelling…';
  await api(`/api/jobs/${state.job}/cancel`, {});
}

// ---- preview -----------------------------------------------------------------

async function preview(event) {
  event.preventDefault();
  $('error').hidden = true;
  $('result').hidden = true;
  invalidate();
  const body = {toolbar: toolbar(), options: planOptions()};
  try {
    const result = await runJob(body, 'Previewing…');
    state.plan = {toolbar: body.toolbar, options: body.options, result};
    state.excludedPersons.clear();
    state.excludedHouseholds.clear();
    state.totals = {};
    showPlan();
    const warned = (result.warnings || []).length;
    announce(`Preview ready. ${result.summary || ''} ${warned ? `${warned} ${warned === 1 ? 'warning' : 'warnings'}.` : 'No warnings.'}`);
  } catch (e) {
    showError($('error'), e);
  }
}

function countsList(box, pairs) {
  box.replaceChildren(...pairs.map(([label, value]) => el('div', {}, el('dt', {text: label}), el('dd', {text: value}))));
}

// Each warning of a preview that plan_rows can filter by links to its rows.
function warningsList(list, warnings, linked = false) {
  list.replaceChildren(...(warnings || []).map((w, i) => {
    const id = `${list.id}-${i}`;
    const item = el('li', {'data-code': w.code, 'data-count': w.count},
      el('span', {id, text: w.message || `${warningLabel(w.code)}: ${number(w.count)}`}));
    if (linked && w.count > 0 && filterableWarnings().includes(w.code))
      item.append(' ', el('a', {href: '#rows-panel', class: 'show-rows', 'data-warning': w.code, 'aria-describedby': id,
        text: 'Show their rows', onclick: (e) => { e.preventDefault(); showWarningRows(w.code); }}));
    return item;
  }));
}

function showPlan() {
  const r = state.plan.result;
  $('plan-summary').textContent = r.summary || '';
  countsList($('plan-counts'), [
    ['People', number(r.persons)], ['Households', number(r.households)],
    ['Preferences that change', number(r.updated)], ['Already as asked', number(r.unchanged)],
    ['Skipped: no device on record', number(r.skipped && r.skipped.no_device)],
    ['Skipped: not staff', number(r.skipped && r.skipped.not_staff)],
    ['Skipped: protected', number(r.skipped && r.skipped.protected)],
  ]);
  warningsList($('plan-warnings'), r.warnings, true);
  $('plan-warnings-box').hidden = false;
  if (!(r.warnings || []).length) $('plan-warnings').replaceChildren(el('li', {class: 'none', text: 'No warnings.'}));
  // The whole plan as the CSV of `sis-host-sim plan-rows --csv`, streamed by the simulator.
  const csv = (kind) => `/api/plan_rows.csv?${new URLSearchParams({token, plan_id: r.plan_id, kind, ...state.plan.toolbar})}`;
  $('download-changes').href = csv('changes');
  $('download-skipped').href = csv('skipped');
  $('plan').hidden = false;
  updateExcluded();
  resetFind();
  loadRows('changes', 0, [null]);
  $('plan').focus();
}

// ---- finding rows: search, device, warning (CONTRACT 12.3) ----------------------

// What plan_rows takes, as describe's options schema says: the find controls
// are offered only for the filters the loaded plugin has.
function planRowsProperties() {
  const schema = state.describe.options_schema || {};
  const entry = (schema.oneOf || []).find((o) => o.properties && o.properties.action && o.properties.action.const === 'plan_rows');
  return (entry && entry.properties) || {};
}

function filterableWarnings() {
  const warning = planRowsProperties().warning;
  if (!warning) return [];
  return warning.enum || labelled(state.describe.warnings).map((w) => w.name);
}

function buildFind() {
  const props = planRowsProperties();
  $('find-search-field').hidden = !props.search;
  $('find-device-field').hidden = !props.device;
  $('find-warning-field').hidden = !props.warning;
  $('find').hidden = !(props.search || props.device || props.warning);
  fillSelect($('find-device'), [['', 'All devices'], ...state.describe.devices.map((d) => [d.name, d.label])]);
  fillSelect($('find-warning'), [['', 'All rows'], ...filterableWarnings().map((code) => [code, warningLabel(code)])]);
}

function resetFind() {
  $('find-search').value = '';
  $('find-device').value = '';
  $('find-warning').value = '';
  state.find = {search: '', device: '', warning: ''};
}

const filtered = () => Object.values(state.find).some(Boolean);

function findOptions() {
  const options = {};
  for (const [key, value] of Object.entries(state.find)) if (value) options[key] = value;
  return options;
}

function find(event) {
  if (event) event.preventDefault();
  state.find = {search: $('find-search').value.trim(), device: $('find-device').value, warning: $('find-warning').value};
  loadRows(state.rowsKind, 0, [null]);
}

// A warning's rows: its changes, or, when it has none (people with no device
// on record change nothing), its skipped rows.
async function showWarningRows(code) {
  resetFind();
  $('find-warning').value = code;
  state.find.warning = code;
  const changes = await loadRows('changes', 0, [null], {focusNote: true});
  if (changes === 0 && state.find.warning === code) await loadRows('skipped', 0, [null], {focusNote: true});
}

// "rows matching “smith”, on Cell phone, of the warning “No emergency channel”"
function filterText() {
  const parts = [];
  if (state.find.search) parts.push(`matching “${state.find.search}”`);
  if (state.find.device) parts.push(`on ${deviceLabel(state.find.device)}`);
  if (state.find.warning) parts.push(`of the warning “${warningLabel(state.find.warning)}”`);
  return parts.join(', ');
}

function rowsRequest(kind) {
  return {toolbar: state.plan.toolbar, plan_id: state.plan.result.plan_id, kind, ...findOptions()};
}

const isHousehold = (row) => row.person_id === null || row.person_id === undefined;

// Every row of the filter, page after page with the plugin's cursor at the
// largest page it serves: the people and households shown on all pages. The
// rows read must add up to the filter's total, or nothing is changed.
async function everyoneShown() {
  const plan = state.plan;
  const limit = (state.describe.limits && state.describe.limits.plan_rows_limit_max) || 1000;
  const persons = new Set();
  const households = new Set();
  let after = null;
  let read = 0;
  let total = 0;
  for (;;) {
    const r = await api('/api/plan_rows', {...rowsRequest('changes'), after, limit});
    if (state.plan !== plan) throw new ApiError({code: 'cancelled', message: 'The preview changed while its rows were read; nobody was left out.'});
    const rows = r.rows || [];
    total = r.total;
    for (const row of rows) {
      if (isHousehold(row)) households.add(row.household_id);
      else persons.add(row.person_id);
    }
    read += rows.length;
    announce(`Reading the rows that match: ${number(read)} of ${number(total)}.`);
    if (r.next === null || r.next === undefined || !rows.length) break;
    after = r.next;
  }
  if (read !== total) throw new ApiError({code: 'internal', message: `Read ${number(read)} of the ${number(total)} rows that match; nobody was left out or put back. Try again.`});
  return {persons, households};
}

async function leaveOutShown(leaveOut) {
  const controls = [$('bulk-leave-out'), $('bulk-put-back'), $('apply')];
  for (const c of controls) c.disabled = true;
  $('error').hidden = true;
  try {
    const {persons, households} = await everyoneShown();
    for (const id of persons) if (leaveOut) state.excludedPersons.add(id); else state.excludedPersons.delete(id);
    for (const id of households) if (leaveOut) state.excludedHouseholds.add(id); else state.excludedHouseholds.delete(id);
    for (const box of document.querySelectorAll('#rows input[data-person-id]')) box.checked = !state.excludedPersons.has(Number(box.dataset.personId));
    for (const box of document.querySelectorAll('#rows input[data-household-id]')) box.checked = !state.excludedHouseholds.has(Number(box.dataset.householdId));
    updateExcluded();
    announce(`${leaveOut ? 'Left out' : 'Included'} ${countText(persons.size, households.size)}. ${excludedText()}`);
  } catch (e) {
    showError($('error'), e);
  } finally {
    for (const c of controls) c.disabled = false;
  }
}

async function loadRows(kind, page, cursors, {focusNote = false} = {}) {
  state.rowsKind = kind;
  state.page = page;
  state.cursors = cursors;
  $('rows-changes').setAttribute('aria-selected', String(kind === 'changes'));
  $('rows-skipped').setAttribute('aria-selected', String(kind === 'skipped'));
  $('rows-panel').setAttribute('aria-labelledby', `rows-${kind}`);
  const limit = 25;
  const request = ++state.rowsRequest;
  try {
    const r = await api('/api/plan_rows', {...rowsRequest(kind), after: cursors[page], limit});
    if (request !== state.rowsRequest) return null;
    if (!filtered()) state.totals[kind] = r.total;
    if (r.next !== null && r.next !== undefined) cursors[page + 1] = r.next;
    renderRows(kind, r.rows || []);
    $('rows-page').textContent = shownText(kind, page * limit + 1, (r.rows || []).length, r.total);
    $('rows-prev').disabled = page === 0;
    $('rows-next').disabled = r.next === null || r.next === undefined;
    $('rows-help').textContent = kind === 'changes'
      ? 'Untick a person (or household) to leave them out of this batch.'
      : 'People and households the batch leaves alone, and why.';
    $('rows-filter').hidden = !filtered();
    $('rows-filter').textContent = filtered() ? `Showing the ${kind === 'changes' ? 'changes' : 'skipped rows'} ${filterText()}: ${number(r.total)} ${r.total === 1 ? 'row' : 'rows'}.` : '';
    $('bulk').hidden = !(kind === 'changes' && filtered() && r.total > 0);
    if (focusNote) $('rows-filter').focus();
    return r.total;
  } catch (e) {
    if (request === state.rowsRequest) showError($('error'), e);
    return null;
  }
}

// "Rows 1–25 of 112 that match (1,150 in the plan)": what is shown, of how many.
function shownText(kind, first, count, total) {
  const whole = state.totals[kind];
  const inPlan = filtered() && whole !== undefined ? ` (${number(whole)} in the plan)` : '';
  if (!total) return filtered() ? `No row matches${inPlan}.` : 'No rows.';
  return `Rows ${number(first)}–${number(first + count - 1)} of ${number(total)}${filtered() ? ' that match' : ''}${inPlan}`;
}

function reasonsText(list) { return (list || []).map(reasonLabel).join(', ') || '(none)'; }

function renderRows(kind, rows) {
  const table = $('rows');
  if (kind === 'changes') {
    const head = el('tr', {}, ...['Include', 'Name', 'Device', 'Number or address', 'Before', 'After'].map((t) => el('th', {scope: 'col', text: t})));
    const body = el('tbody', {}, ...rows.map((row) => {
      const household = isHousehold(row);
      const id = household ? row.household_id : row.person_id;
      const excluded = household ? state.excludedHouseholds : state.excludedPersons;
      const box = el('input', {type: 'checkbox', checked: !excluded.has(id), 'aria-label': `Include ${row.name}`,
        [household ? 'data-household-id' : 'data-person-id']: id,
        onchange: (e) => { toggleExcluded(household, id, !e.target.checked); }});
      return el('tr', {}, el('td', {'data-label': 'Include'}, box),
        el('td', {'data-label': 'Name', text: row.name}),
        el('td', {'data-label': 'Device', text: deviceLabel(row.device)}),
        el('td', {'data-label': 'Number or address', text: row.value || ''}),
        el('td', {'data-label': 'Before', text: reasonsText(row.before)}),
        el('td', {'data-label': 'After', text: reasonsText(row.after)}));
    }));
    table.replaceChildren(el('caption', {class: 'visually-hidden', text: 'Changes the batch makes'}), el('thead', {}, head), body);
  } else {
    const head = el('tr', {}, ...['Name', 'Device', 'Reasons asked', 'Why'].map((t) => el('th', {scope: 'col', text: t})));
    const body = el('tbody', {}, ...rows.map((row) => el('tr', {},
      el('td', {'data-label': 'Name', text: row.name}),
      el('td', {'data-label': 'Device', text: deviceLabel(row.device)}),
      el('td', {'data-label': 'Reasons asked', text: reasonsText(row.reasons || row.asked || row.after)}),
      el('td', {'data-label': 'Why', text: whyLabel(row.why || '')}))));
    table.replaceChildren(el('caption', {class: 'visually-hidden', text: 'People and households skipped'}), el('thead', {}, head), body);
  }
}

function toggleExcluded(household, id, excluded) {
  const set = household ? state.excludedHouseholds : state.excludedPersons;
  if (excluded) set.add(id); else set.delete(id);
  // Every row of the same person (one per device) follows.
  const attr = household ? 'data-household-id' : 'data-person-id';
  for (const b of document.querySelectorAll(`#rows input[${attr}="${id}"]`)) b.checked = !excluded;
  updateExcluded();
}

const countText = (p, h) => `${number(p)} ${p === 1 ? 'person' : 'people'} and ${number(h)} ${h === 1 ? 'household' : 'households'}`;

function excludedText() {
  const p = state.excludedPersons.size;
  const h = state.excludedHouseholds.size;
  return p || h ? `Left out in total: ${countText(p, h)}.` : 'Left out: nobody.';
}

function updateExcluded() { $('excluded').textContent = excludedText(); }

// ---- apply ---------------------------------------------------------------------

function confirmEmergencyOff() {
  const dialog = $('confirm');
  const label = reasonLabel('emergency');
  const asked = labelled(state.describe.confirmations).find((c) => c.name === 'emergency_off') ||
    {label: `Turn ${label} Off`, description: `Families who have no other device with ${label} On will not be reached in an emergency.`};
  $('confirm-title').textContent = `${asked.label}?`;
  $('confirm-text').textContent = `This batch turns ${label} Off on some devices. ${asked.description}.`;
  $('confirm-ok').textContent = `${asked.label} and apply`;
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'confirm'), {once: true});
    dialog.returnValue = '';
    dialog.showModal();
    $('confirm-cancel').focus();
  });
}

async function apply() {
  if (!state.plan) return;
  $('error').hidden = true;
  if ((state.plan.options.confirm || []).includes('emergency_off') && !(await confirmEmergencyOff())) return;
  const options = {
    action: 'apply',
    plan_id: state.plan.result.plan_id,
    exclude_person_ids: [...state.excludedPersons],
    exclude_household_ids: [...state.excludedHouseholds],
  };
  try {
    const result = await runJob({toolbar: state.plan.toolbar, options}, 'Applying…');
    state.plan = null;
    $('plan').hidden = true;
    $('result-title').textContent = `Batch ${result.batch_id} applied`;
    $('result-updated').textContent = `${number(result.updated)} ${result.updated === 1 ? 'preference' : 'preferences'} updated`;
    $('result-summary').textContent = result.summary || '';
    warningsList($('result-warnings'), result.warnings);
    $('result').hidden = false;
    $('result').focus();
    announce(`${$('result-title').textContent}: ${$('result-updated').textContent}.`);
  } catch (e) {
    showError($('error'), e);
  }
}

// ---- history -----------------------------------------------------------------

function showPage(name) {
  const history = name === 'history';
  $('page-wizard').hidden = history;
  $('page-history').hidden = !history;
  $('tab-wizard').toggleAttribute('aria-current', !history);
  $('tab-history').toggleAttribute('aria-current', history);
  if (history) { $('tab-wizard').removeAttribute('aria-current'); $('tab-history').setAttribute('aria-current', 'page'); loadHistory(); }
  else { $('tab-history').removeAttribute('aria-current'); $('tab-wizard').setAttribute('aria-current', 'page'); }
}

async function loadHistory() {
  $('history-error').hidden = true;
  try {
    const batches = await api('/api/history');
    const head = el('tr', {}, ...['Batch', 'Finished', 'User', 'Action', 'Mode', 'People', 'Counts', 'Status', ''].map((t) => el('th', {scope: 'col', text: t})));
    const body = el('tbody', {}, ...batches.slice().reverse().map((b) => {
      const counts = b.unit === 'rows'
        ? `${number(b.updated)} rows restored, ${number(b.unchanged)} in conflict`
        : `${number(b.updated)} cells updated, ${number(b.unchanged)} unchanged`;
      let status = humanize(b.status);
      if (b.undoes) status += ` (undoes batch ${b.undoes})`;
      if (b.undone_by) status += ` by batch ${b.undone_by}`;
      const undoable = b.action !== 'undo' && b.status !== 'undone';
      const mode = b.mode ? modeLabel(b.mode) : '';
      return el('tr', {'data-batch-id': b.batch_id},
        el('td', {'data-label': 'Batch', text: b.batch_id}),
        el('td', {'data-label': 'Finished', text: b.finished_at}),
        el('td', {'data-label': 'User', text: b.user}),
        el('td', {'data-label': 'Action', text: humanize(b.action)}),
        el('td', {'data-label': 'Mode', text: mode}),
        el('td', {'data-label': 'People', text: number(b.persons)}),
        el('td', {'data-label': 'Counts', text: counts}),
        el('td', {'data-label': 'Status', class: 'status', text: status}),
        el('td', {}, undoable ? el('button', {type: 'button', 'data-undo': b.batch_id, text: 'Undo', 'aria-label': `Undo batch ${b.batch_id}`,
          onclick: () => undo(b.batch_id)}) : null));
    }));
    $('history').replaceChildren(el('caption', {class: 'visually-hidden', text: 'Batches run so far'}), el('thead', {}, head), body);
    if (!batches.length) $('history').replaceChildren(el('caption', {text: 'No batch has been run on this database yet.'}));
  } catch (e) {
    showError($('history-error'), e);
  }
}

async function undo(batchId) {
  $('history-error').hidden = true;
  $('undo-result').hidden = true;
  try {
    $('run').hidden = false;
    $('page-history').prepend($('run'));
    const r = await runJob({toolbar: toolbar(), options: {action: 'undo', batch_id: batchId}}, `Undoing batch ${batchId}…`);
    $('undo-title').textContent = `Batch ${batchId} undone by batch ${r.batch_id}`;
    $('undo-summary').textContent = `${number(r.restored)} rows restored; ${number(r.conflicts)} ${r.conflicts === 1 ? 'row' : 'rows'} changed since the batch and left alone.`;
    const rows = r.conflict_rows || [];
    if (rows.length) {
      const head = el('tr', {}, ...['Name', 'Device', 'Number or address', 'Why'].map((t) => el('th', {scope: 'col', text: t})));
      $('conflicts').replaceChildren(el('caption', {text: `Conflicts${r.conflicts > rows.length ? ` (first ${rows.length} of ${r.conflicts})` : ''}`}),
        el('thead', {}, head), el('tbody', {}, ...rows.map((c) => el('tr', {},
          el('td', {'data-label': 'Name', text: c.name}), el('td', {'data-label': 'Device', text: deviceLabel(c.device)}),
          el('td', {'data-label': 'Number or address', text: c.value || ''}), el('td', {'data-label': 'Why', text: whyLabel(c.why || '')})))));
    } else {
      $('conflicts').replaceChildren();
    }
    $('undo-result').hidden = false;
    $('undo-result').focus();
    announce(`${$('undo-title').textContent}. ${$('undo-summary').textContent}`);
  } catch (e) {
    showError($('history-error'), e);
  } finally {
    $('page-wizard').insertBefore($('run'), $('error'));
  }
  loadHistory();
}

// ---- start -------------------------------------------------------------------

async function start() {
  try {
    [state.describe, state.host] = await Promise.all([api('/api/describe'), api('/api/host')]);
  } catch (e) {
    showError($('load-error'), e);
    return;
  }
  const d = state.describe;
  document.title = d.label;
  $('tool-title').textContent = d.label;
  $('tool-description').textContent = d.description;
  fillSelect($('year'), state.host.years.map((y) => [y, yearLabel(y)]));
  fillSelect($('school'), [[0, 'All Schools'], ...state.host.schools.map((s) => [s.id, s.name])]);
  fillCalendars();
  fillSelect($('user'), state.host.users.map((u) => [u.id, u.username + (u.disabled ? ' (disabled)' : u.may_run ? '' : ' (may not run the tool)')]));
  const runner = state.host.users.find((u) => u.may_run && !u.disabled);
  if (runner) $('user').value = String(runner.id);
  $('user').disabled = state.host.fixed_user != null;  // serve --user N: the host's session user, not the page's to pick
  buildModes();
  buildGrid();
  offerReasonsOfMode();
  buildOverwrite();
  buildFind();
  await fillFilters();

  $('year').addEventListener('change', () => { fillCalendars(); invalidate(); });
  $('school').addEventListener('change', () => { fillCalendars(); invalidate(); });
  $('calendar').addEventListener('change', invalidate);
  $('user').addEventListener('change', async () => { invalidate(); await fillFilters(); });
  $('filter').addEventListener('change', invalidate);
  $('toolbar').addEventListener('submit', (e) => e.preventDefault());
  $('wizard').addEventListener('submit', preview);
  $('apply').addEventListener('click', apply);
  $('run-cancel').addEventListener('click', cancelJob);
  $('rows-changes').addEventListener('click', () => loadRows('changes', 0, [null]));
  $('rows-skipped').addEventListener('click', () => loadRows('skipped', 0, [null]));
  $('rows-next').addEventListener('click', () => loadRows(state.rowsKind, state.page + 1, state.cursors));
  $('rows-prev').addEventListener('click', () => loadRows(state.rowsKind, state.page - 1, state.cursors));
  $('find').addEventListener('submit', find);
  $('find-clear').addEventListener('click', () => { resetFind(); loadRows(state.rowsKind, 0, [null]); });
  $('bulk-leave-out').addEventListener('click', () => leaveOutShown(true));
  $('bulk-put-back').addEventListener('click', () => leaveOutShown(false));
  $('tab-wizard').addEventListener('click', () => showPage('wizard'));
  $('tab-history').addEventListener('click', () => showPage('history'));
  $('result-history').addEventListener('click', () => showPage('history'));
  document.body.dataset.ready = 'true';
}

start();
