"""Validates the server's FHIR output with fhir.resources (its R4B models, which read
R4 JSON) and checks our own rules: body temperature as LOINC 8310-5 in UCUM Cel with
the vital-signs category, every QuestionnaireResponse answering a published
Questionnaire with its link ids and answer codes, codings of our code systems being
codes those systems define.

Usage: validate.py DEFINITIONS.json INPUT...
DEFINITIONS.json: a JSON array of the served Questionnaires and CodeSystems.
INPUT: a .json file (one resource, a Bundle, or an array) or a .ndjson file.
Prints one line per resource type with its count; exits 1 with the reasons otherwise.
"""

import importlib
import json
import sys
from collections import Counter

MODULES = {
    "Bundle": "bundle",
    "Patient": "patient",
    "Observation": "observation",
    "QuestionnaireResponse": "questionnaireresponse",
    "Questionnaire": "questionnaire",
    "CodeSystem": "codesystem",
}

problems = []


def model(resource):
    kind = resource.get("resourceType")
    if kind not in MODULES:
        problems.append(f"unexpected resource type {kind!r}")
        return
    module = importlib.import_module(f"fhir.resources.R4B.{MODULES[kind]}")
    cls = getattr(module, kind)
    try:
        cls.model_validate(resource)
    except Exception as e:  # noqa: BLE001 - the library's error is the reason
        problems.append(f"{kind}/{resource.get('id')}: {e}")


def questions(items, out):
    for item in items:
        if item.get("type") == "group" or ("item" in item and "answer" not in item):
            questions(item.get("item", []), out)
        else:
            out[item["linkId"]] = item


def check_observation(o, patients):
    where = f"Observation/{o.get('id')}"
    codings = o["code"]["coding"]
    if not any(c["system"] == "http://loinc.org" and c["code"] == "8310-5" for c in codings):
        problems.append(f"{where}: not LOINC 8310-5")
    cats = [c for cat in o.get("category", []) for c in cat["coding"]]
    if not any(c["code"] == "vital-signs" for c in cats):
        problems.append(f"{where}: no vital-signs category")
    q = o.get("valueQuantity", {})
    if q.get("system") != "http://unitsofmeasure.org" or q.get("code") != "Cel":
        problems.append(f"{where}: unit is not UCUM Cel")
    if not 34.0 <= q.get("value", 0) <= 42.0:
        problems.append(f"{where}: temperature {q.get('value')} outside 34.0-42.0")
    fever = q.get("value", 0) >= 37.5
    high = any(c["code"] == "H" for i in o.get("interpretation", []) for c in i["coding"])
    if fever != high:
        problems.append(f"{where}: fever {fever} but interpretation high {high}")
    if "effectiveDateTime" not in o:
        problems.append(f"{where}: no effective time")
    if patients is not None and o["subject"]["reference"] not in patients:
        problems.append(f"{where}: subject {o['subject']['reference']} not exported")


def check_response(r, questionnaires, systems, patients):
    where = f"QuestionnaireResponse/{r.get('id')}"
    url = r["questionnaire"].split("|")[0]
    q = questionnaires.get(url)
    if q is None:
        problems.append(f"{where}: answers an unpublished questionnaire {url}")
        return
    if r["status"] != "completed":
        problems.append(f"{where}: status {r['status']}")
    asked = {}
    questions(q["item"], asked)
    given = {}
    questions(r.get("item", []), given)
    for link, item in asked.items():
        if item.get("required") and link not in given and link not in ("onset_date", "risk_factors"):
            problems.append(f"{where}: required item {link} missing")
    for link, item in given.items():
        if link not in asked:
            problems.append(f"{where}: item {link} is not in {url}")
            continue
        answers = item.get("answer", [])
        if len(answers) > 1 and not asked[link].get("repeats"):
            problems.append(f"{where}: {link} has several answers")
        options = [o["valueCoding"] for o in asked[link].get("answerOption", [])]
        for a in answers:
            if "valueCoding" in a:
                c = a["valueCoding"]
                if options and not any(o["system"] == c["system"] and o["code"] == c["code"] for o in options):
                    problems.append(f"{where}: {link} answer {c['code']} is not an option")
                if c["system"] in systems and c["code"] not in systems[c["system"]]:
                    problems.append(f"{where}: {link} code {c['code']} not in {c['system']}")
            if "valueQuantity" in a:
                if a["valueQuantity"].get("code") != "Cel":
                    problems.append(f"{where}: {link} quantity not in Cel")
    subject = r["subject"]["reference"]
    if subject.startswith("#"):
        if not any("#" + c["id"] == subject for c in r.get("contained", [])):
            problems.append(f"{where}: subject {subject} not contained")
    elif patients is not None and subject not in patients:
        problems.append(f"{where}: subject {subject} not exported")


def main():
    definitions = json.load(open(sys.argv[1], encoding="utf-8"))
    questionnaires, systems = {}, {}
    for d in definitions:
        model(d)
        if d["resourceType"] == "Questionnaire":
            questionnaires[d["url"]] = d
        elif d["resourceType"] == "CodeSystem":
            systems[d["url"]] = {c["code"] for c in d["concept"]}
    resources = []
    for path in sys.argv[2:]:
        text = open(path, encoding="utf-8").read()
        if path.endswith(".ndjson"):
            for n, line in enumerate(text.split("\n")):
                if line:
                    resources.append(json.loads(line))
                elif n != len(text.split("\n")) - 1:
                    problems.append(f"{path}: empty line {n + 1}")
        else:
            value = json.loads(text)
            for r in value if isinstance(value, list) else [value]:
                model(r)
                if r.get("resourceType") == "Bundle":
                    resources.extend(e["resource"] for e in r.get("entry", []))
                else:
                    resources.append(r)
    patients = {f"Patient/{r['id']}" for r in resources if r["resourceType"] == "Patient"}
    counts = Counter()
    for r in resources:
        counts[r["resourceType"]] += 1
        model(r)
        if r["resourceType"] == "Observation":
            check_observation(r, patients)
        elif r["resourceType"] == "QuestionnaireResponse":
            check_response(r, questionnaires, systems, patients)
    if problems:
        print("\n".join(problems[:50]))
        sys.exit(1)
    for kind, n in sorted(counts.items()):
        print(f"{kind} {n}")


if __name__ == "__main__":
    main()
