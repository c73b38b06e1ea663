// The server's FHIR output checked by a second validator: the `fhirpath` engine with its
// R4 model evaluates the R4 core invariants of every resource the server exports — a
// case's Bundle, the centre's NDJSON stream, a Bulk Data export's files, a notification's
// QuestionnaireResponse and the published Questionnaires and CodeSystems — and a walk of
// each resource finds no empty string (FHIR has none). A resource broken on purpose
// fails, so the check can fail. (tests/fhir/validate.py is the first validator.)
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const fhirpath = require('fhirpath');
const r4 = require('fhirpath/fhir-context/r4');
const h = require('./helpers');

const centre = h.demo()[0];

// R4 core invariants, each `[key, resource types ('*' = any), expression on the resource]`.
const INVARIANTS = [
  ['dom-2', '*', 'contained.contained.empty()'],
  ['dom-3', '*', "contained.where(('#' + id in %resource.descendants().reference).not()).empty()"],
  ['dom-4', '*', 'contained.meta.versionId.empty() and contained.meta.lastUpdated.empty()'],
  ['dom-5', '*', 'contained.meta.security.empty()'],
  ['ele-1', '*', 'descendants().where(hasValue().not() and children().count() = 0).empty()'],
  ['ext-1', '*', '(extension | descendants().extension).all(extension.exists() != value.exists())'],
  ['ref-1', '*', "descendants().where(reference.exists()).all(reference.startsWith('#').not() or (reference.substring(1) in %resource.contained.id))"],
  ['pat-1', 'Patient', 'contact.all(name.exists() or telecom.exists() or address.exists() or organization.exists())'],
  ['obs-6', 'Observation', 'dataAbsentReason.empty() or value.empty()'],
  ['obs-7', 'Observation', 'value.empty() or component.code.where(coding.intersect(%resource.code.coding).exists()).empty()'],
  ['qrs-1', 'QuestionnaireResponse', 'descendants().item.all((answer.exists() and item.exists()).not())'],
  ['qrs-2', 'QuestionnaireResponse', 'repeat(answer | item).select(item.linkId.isDistinct()).allTrue()'],
  ['que-2', 'Questionnaire', 'descendants().linkId.isDistinct()'],
  ['csd-1', 'CodeSystem', 'concept.code.combine(%resource.concept.descendants().concept.code).isDistinct()'],
  ['bdl-1', 'Bundle', "total.empty() or (type = 'searchset') or (type = 'history')"],
  ['bdl-2', 'Bundle', "entry.search.empty() or (type = 'searchset')"],
  ['bdl-3', 'Bundle', "entry.all(request.exists() = (%resource.type = 'batch' or %resource.type = 'transaction' or %resource.type = 'history'))"],
  ['bdl-4', 'Bundle', "entry.all(response.exists() = (%resource.type = 'batch-response' or %resource.type = 'transaction-response' or %resource.type = 'history'))"],
  ['bdl-5', 'Bundle', 'entry.all(resource.exists() or request.exists() or response.exists())'],
  ['bdl-7', 'Bundle', "(type = 'history') or entry.where(fullUrl.exists()).select(fullUrl & resource.meta.versionId).isDistinct()"],
  ['bdl-8', 'Bundle', "entry.all(fullUrl.contains('/_history/').not())"],
];

let evaluated = 0;

/** The problems of one resource (and of the resources inside a Bundle). */
function problems(resource, where) {
  const out = [];
  const walk = (v, at) => {
    if (v === '') out.push(`${where}: empty string at ${at}`);
    else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${at}[${i}]`));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, `${at}.${k}`);
  };
  walk(resource, resource.resourceType);
  for (const [key, type, expression] of INVARIANTS) {
    if (type !== '*' && type !== resource.resourceType) continue;
    let result;
    try {
      result = fhirpath.evaluate(resource, expression, { resource, rootResource: resource }, r4);
    } catch (e) {
      out.push(`${where}: ${key} could not be evaluated: ${e.message}`);
      continue;
    }
    evaluated += 1;
    if (!(result.length === 1 && result[0] === true)) out.push(`${where}: ${key} fails (${JSON.stringify(result)})`);
  }
  if (resource.resourceType === 'Bundle') {
    for (const [i, e] of (resource.entry || []).entries()) out.push(...problems(e.resource, `${where}.entry[${i}]`));
  }
  return out;
}

async function staffToken() {
  const r = await h.api('POST', '/api/v1/staff/login', { email: centre.adminEmail, password: centre.password });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  return r.json.token;
}

async function text(route, token, headers = {}) {
  const res = await fetch(process.env.MIMAMORI_BASE_URL + route, { headers: { authorization: `Bearer ${token}`, ...headers } });
  return { status: res.status, headers: res.headers, body: await res.text() };
}

function ndjson(body) {
  return body.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
}

test('every exported resource holds the R4 invariants and carries no empty string', async () => {
  const token = await staffToken();
  const found = [];
  const counts = {};
  const check = (resource, where) => {
    counts[resource.resourceType] = (counts[resource.resourceType] || 0) + 1;
    found.push(...problems(resource, where));
  };

  const patient = centre.patients[0];
  const bundle = await text(`/api/fhir/cases/${patient.id}`, token);
  assert.equal(bundle.status, 200, bundle.body);
  check(JSON.parse(bundle.body), `case ${patient.id}`);

  const stream = await text('/api/fhir/centre.ndjson', token);
  assert.equal(stream.status, 200);
  for (const [i, r] of ndjson(stream.body).entries()) check(r, `centre.ndjson line ${i + 1}`);

  // Bulk Data: kick-off, poll the status as a client does, then every file.
  const kick = await text('/api/fhir/$export', token, { prefer: 'respond-async' });
  assert.equal(kick.status, 202, kick.body);
  const status = new URL(kick.headers.get('content-location')).pathname;
  let manifest = null;
  for (let i = 0; i < 300 && !manifest; i++) {
    const s = await text(status, token);
    if (s.status === 200) manifest = JSON.parse(s.body);
    else await new Promise((r) => setTimeout(r, Number(s.headers.get('retry-after') || 1) * 100));
  }
  assert.ok(manifest, 'the export finished');
  for (const out of manifest.output) {
    const f = await text(new URL(out.url).pathname, token);
    assert.equal(f.status, 200);
    const resources = ndjson(f.body);
    assert.equal(resources.length, out.count, `${out.type}: the manifest's count`);
    for (const [i, r] of resources.entries()) check(r, `$export ${out.type} line ${i + 1}`);
  }

  for (const id of ['mimamori-daily', 'mimamori-notification']) {
    const q = await text(`/fhir/Questionnaire/${id}`, token);
    assert.equal(q.status, 200, id);
    check(JSON.parse(q.body), `Questionnaire ${id}`);
  }
  const systems = ['answer', 'kind', 'notification-category', 'risk-factor', 'vaccination', 'severity'];
  for (const id of systems.map((s) => `mimamori-${s}`)) {
    const cs = await text(`/fhir/CodeSystem/${id}`, token);
    assert.equal(cs.status, 200, id);
    check(JSON.parse(cs.body), `CodeSystem ${id}`);
  }

  assert.deepEqual(found, [], found.join('\n'));
  for (const type of ['Bundle', 'Patient', 'Observation', 'QuestionnaireResponse', 'Questionnaire', 'CodeSystem']) {
    assert.ok(counts[type] > 0, `${type} resources were checked`);
  }
  console.log(`fhirpath: ${evaluated} invariant evaluations on ${JSON.stringify(counts)}, 0 problems`);
});

test('a resource broken on purpose fails the check', () => {
  const observation = {
    resourceType: 'Observation', id: 'x', status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: '8310-5' }] },
    valueQuantity: { value: 36.5, unit: 'Cel', system: 'http://unitsofmeasure.org', code: 'Cel' },
    dataAbsentReason: { text: 'no reason' },
    subject: { reference: '#missing' },
    note: [{ text: '' }],
  };
  const found = problems(observation, 'broken');
  assert.ok(found.some((p) => p.includes('obs-6')), found.join('\n'));
  assert.ok(found.some((p) => p.includes('ref-1')), found.join('\n'));
  assert.ok(found.some((p) => p.includes('empty string')), found.join('\n'));
});
