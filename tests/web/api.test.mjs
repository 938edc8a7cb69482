// The wizard's JSON API on a database given by connection string, as the page
// uses it: the host reads, a plan, its rows, an apply with an exclusion,
// history and undo. scripts/test.sh runs it on its throwaway PostgreSQL
// server (CPB_TEST_PG); each run makes a database of its own there.
import {test, before, after} from 'node:test';
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {sim, serve, pageToken, post, job} from './support.mjs';

const server_connection = process.env.CPB_TEST_PG;
const skip = server_connection ? false : 'CPB_TEST_PG is not set (scripts/test.sh starts a PostgreSQL server)';

const field = (name) => (server_connection.match(new RegExp(`(?:^|;)${name}=([^;]*)`, 'i')) || [])[1];
const database = `cpb_web_${process.pid}`;
let connection;
let server;
let token;
let canPlan = false;

function psql(sql) {
  execFileSync('psql', ['-h', field('Server'), '-p', field('Port'), '-U', field('Uid') || 'postgres', '-d', 'postgres', '-v', 'ON_ERROR_STOP=1', '-qc', sql],
    {stdio: ['ignore', 'ignore', 'inherit']});
}

before(async () => {
  if (skip) return;
  psql(`CREATE DATABASE ${database}`);
  connection = server_connection.replace(/Database=[^;]*/i, `Database=${database}`);
  sim('init', '--db', connection);
  sim('seed', '--db', connection, '--students', '150');
  server = await serve(connection);
  token = await pageToken(server.url);
  const probe = await job(server.url, token, {toolbar: {year: 2027, user: 1}, options: {action: 'plan', mode: 'students', preferences: {general: 'on'}}});
  canPlan = !probe.failure;
  if (probe.failure) console.log(`plan probe: ${JSON.stringify(probe.failure)}`);
});

after(() => {
  if (server) server.stop();
  if (!skip) psql(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
});

// Decided when a test runs (after `before`).
const needsPlan = (t) => {
  if (canPlan) return false;
  t.skip('the plugin in this build does not plan yet (CONTRACT 9.1: action "plan")');
  return true;
};

test('host reads: years, schools, calendars, users and the user\'s filters', {skip}, async () => {
  const host = await (await fetch(`${server.url}api/host`)).json();
  assert.deepEqual(host.years, [2027, 2026]);
  assert.equal(host.schools[0].name, 'School 1');
  assert.ok(host.calendars.some((c) => c.year === 2027 && c.school_id === 1));
  assert.ok(host.users.some((u) => u.username === 'admin' && u.may_run));
  assert.ok(host.users.some((u) => u.username === 'viewer' && !u.may_run));
  assert.ok(!host.users.some((u) => u.username.startsWith('portal')), 'portal accounts never run host tools');
  const filters = await (await fetch(`${server.url}api/filters?user=1`)).json();
  assert.deepEqual(filters.map((f) => f.name).sort(), ['Every tenth student', 'Staff and coaches']);
  const describe = await (await fetch(`${server.url}api/describe`)).json();
  assert.equal(describe.name, 'contact_preferences_batch');
});

test('a refusal carries the plugin\'s code and message', {skip}, async () => {
  const s = await job(server.url, token, {toolbar: {year: 2027, user: 2}, options: {mode: 'students', preferences: {general: 'on'}, dry_run: true}});
  assert.equal(s.failure.error.code, 'forbidden');
  assert.match(s.failure.error.message, /\S/);
});

let planned;
let applied;

test('plan, page its rows, apply with one person left out', {skip}, async (t) => {
  if (needsPlan(t)) return;
  const toolbar = {year: 2027, school: 1, calendar: 1, user: 1};
  const p = await job(server.url, token, {toolbar, options: {action: 'plan', mode: 'student_messenger_contacts', preferences: {emergency: 'on', attendance: {cell_phone: 'on'}}}});
  assert.ok(p.result, JSON.stringify(p.failure));
  planned = p.result;
  assert.ok(Number.isInteger(planned.plan_id));
  assert.equal(typeof planned.summary, 'string');
  assert.ok(Array.isArray(planned.warnings));
  const first = await post(`${server.url}api/plan_rows`, token, {toolbar, plan_id: planned.plan_id, kind: 'changes', after: null, limit: 10});
  assert.equal(first.status, 200, JSON.stringify(first.json));
  assert.equal(first.json.rows.length, 10);
  const second = await post(`${server.url}api/plan_rows`, token, {toolbar, plan_id: planned.plan_id, kind: 'changes', after: first.json.next, limit: 10});
  assert.notDeepEqual(second.json.rows[0], first.json.rows[0]);
  const person = first.json.rows.find((r) => Number.isInteger(r.person_id)).person_id;
  const a = await job(server.url, token, {toolbar, options: {action: 'apply', plan_id: planned.plan_id, exclude_person_ids: [person], exclude_household_ids: []}});
  assert.ok(a.result, JSON.stringify(a.failure));
  applied = a.result;
  assert.ok(applied.updated > 0 && applied.updated < planned.updated);
});

test('history shows a batch; undo restores it', {skip}, async () => {
  if (!applied) {  // without plans (CONTRACT 9.1), a direct apply
    const a = await job(server.url, token, {toolbar: {year: 2027, user: 1}, options: {mode: 'students', preferences: {general: 'on'}}});
    assert.ok(a.result, JSON.stringify(a.failure));
    applied = a.result;
  }
  const history = await (await fetch(`${server.url}api/history`)).json();
  const batch = history.find((b) => b.batch_id === applied.batch_id);
  assert.equal(batch.status, 'applied');
  assert.equal(batch.unit, 'cells');
  const u = await job(server.url, token, {toolbar: {year: 2027, user: 1}, options: {action: 'undo', batch_id: applied.batch_id}});
  assert.ok(u.result, JSON.stringify(u.failure));
  assert.equal(u.result.conflicts, 0);
  const after = await (await fetch(`${server.url}api/history`)).json();
  assert.equal(after.find((b) => b.batch_id === applied.batch_id).status, 'undone');
  assert.equal(after.find((b) => b.batch_id === u.result.batch_id).unit, 'rows');
});
