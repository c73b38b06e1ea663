"""The phone core through its generated Python bindings: save -> history -> triage,
the family's urgent check with the stored emergency number, and refusals that change
nothing. Run by run.sh after tests/bindings.sh has generated the bindings."""

import datetime
import os

import pytest

import mobile_core as core
from mobile_core import AnswerChoice, CoreError, Language, PersonKind, Urgency

NO = [AnswerChoice.NO] * 9


def report(temp, answers=NO, kind=PersonKind.INFECTED, date=None, person="self"):
    return core.ReportInput(person_id=person, local_date=date, kind=kind, temperature=temp, answers=list(answers))


@pytest.fixture
def phone(tmp_path):
    c = core.MimamoriCore.open(str(tmp_path / "core.db"))
    c.set_emergency_contact(core.EmergencyContact(centre_name="〇〇保健所", phone_number="03-1234-5678"), Language.JA)
    return c


def test_save_history_and_triage(phone):
    questions = phone.questions(Language.JA)
    assert len(questions) == 9
    assert questions[0].text == "顔色、表情はいつもどおりですか"
    assert [o.code for o in questions[0].options] == [1, 2, 9]

    yesterday = (datetime.date.today() - datetime.timedelta(days=1)).isoformat()
    phone.save_report(report("36.8", date=yesterday), Language.JA)
    first = phone.save_report(report("36.5"), Language.JA)
    assert first.advice.urgency == Urgency.NO_ACTION
    assert not first.advice.show_emergency_number

    breathless = list(NO)
    breathless[2] = AnswerChoice.YES
    second = phone.save_report(report("３８．０", breathless), Language.JA)
    assert second.advice.urgency == Urgency.CALL_NOW
    assert second.advice.show_emergency_number
    assert second.advice.emergency.phone_number == "03-1234-5678"
    assert [g.id for g in second.advice.check_groups] == ["breathing"]

    status = phone.today_status("self", Language.JA)
    assert status.reported_today
    assert status.latest.report_id == second.report_id
    assert status.latest.temperature_tenths == 380
    assert status.advice.urgency == Urgency.CALL_NOW
    assert status.pending_sync == 3

    history = phone.history("self", 7, Language.JA)
    assert len(history) == 7
    assert [d.reports_that_day for d in history] == [0, 0, 0, 0, 0, 1, 2]
    assert history[-1].report.temperature_tenths == 380
    assert history[-2].report.temperature_tenths == 368
    assert phone.pending_sync_count() == 3


def test_bad_input_is_refused_and_nothing_changes(phone):
    phone.save_report(report("36.5"), Language.EN)
    with pytest.raises(CoreError.Invalid) as e:
        phone.save_report(report("43.5"), Language.EN)
    assert e.value.field == "temperature"
    assert "34.0" in e.value.reason
    with pytest.raises(CoreError.Invalid) as e:
        phone.save_report(report("36.5", NO[:8] + [None]), Language.JA)
    assert e.value.field == "answers.urination"
    assert phone.pending_sync_count() == 1
    assert phone.history("self", 1, Language.JA)[0].reports_that_day == 1


def test_family_check_without_login(tmp_path):
    phone = core.MimamoriCore.open(str(tmp_path / "family.db"))
    phone.set_emergency_contact(core.EmergencyContact(centre_name="△△保健所", phone_number="０４５－１１１－２２２２"), Language.JA)
    checklist = phone.urgent_checklist(Language.JA)
    assert [len(g.symptoms) for g in checklist.groups] == [3, 7, 3]
    advice = phone.check_urgent_symptoms(
        core.ChecklistInput(kind=PersonKind.INFECTED, symptom_ids=["purple_lips"], cough=False, fever=False), Language.JA
    )
    assert advice.urgency == Urgency.CALL_NOW
    assert advice.emergency.phone_number == "045-111-2222"
    calm = phone.check_urgent_symptoms(core.ChecklistInput(kind=None, symptom_ids=[], cough=False, fever=False), Language.JA)
    assert calm.urgency == Urgency.NO_ACTION


def test_corrupt_file_is_reported_and_kept(tmp_path):
    path = tmp_path / "broken.db"
    junk = os.urandom(4096)
    path.write_bytes(junk)
    with pytest.raises(CoreError.Corrupt):
        core.MimamoriCore.open(str(path))
    assert path.read_bytes() == junk


def test_a_data_request_is_checked_before_the_network(phone):
    ask = core.DataRequestInput(kind=core.DataRequestKind.CORRECTION, field=None, report_id=None, value="x", note=None)
    with pytest.raises(CoreError.Invalid) as e:
        phone.file_data_request(ask, Language.EN)
    assert e.value.field == "item"
    assert e.value.reason == "Choose the item to correct."
    ask = core.DataRequestInput(kind=core.DataRequestKind.SUSPENSION, field=None, report_id=None, value=None, note=None)
    with pytest.raises(CoreError.Network):
        phone.file_data_request(ask, Language.JA)
