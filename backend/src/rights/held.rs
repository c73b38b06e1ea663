//! Everything else the server holds about a person, for the disclosure: the sign-in
//! account, the outbreak notification (発生届) in full, staff's contacts and their
//! notes, the notes of urgent handlings, the automated calls (each attempt, and whether
//! the keypad answers made a report; the answers themselves are the reports), the
//! transfers between centres, household links, and who read or exported the data
//! (the staff member's role and centre, when, what; never the staff member's name).
//! [`TABLES`] names, for every table of the database, where the disclosure shows it or
//! why it holds nothing about a person; a test fails when a new table is in neither.

use crate::clinic::sql::{P, query};
use crate::clinic::store::{NOTIFICATION_COLUMNS, notification_of};
use crate::db::{AuditAction, Db};
use crate::error::Result;
use crate::web::datetime;
use protocol::Lang;
use protocol::rights::HeldSection;

/// Where each table's rows about a person are disclosed (`Some(section or part)`), or
/// `None` with why the table holds nothing about a person.
pub const TABLES: &[(&str, Result<&str, &str>)] = &[
    ("cases", Ok("profile")),
    ("reports", Ok("reports")),
    ("corrections", Ok("corrections")),
    ("rights_requests", Ok("requests")),
    ("patients", Ok("account")),
    ("sessions", Ok("account (sign-ins: their number and the latest)")),
    ("notifications", Ok("notification")),
    ("contacts", Ok("contacts")),
    ("handlings", Ok("handlings")),
    ("handled_reports", Ok("handlings (which reports a handling covered)")),
    ("call_enrolments", Ok("calls")),
    ("call_attempts", Ok("calls")),
    ("transfers", Ok("transfers")),
    ("household", Ok("household")),
    ("audit_log", Ok("access")),
    ("registrations", Err("an e-mail address while registering, deleted within days (upkeep)")),
    ("login_places", Err("keyed hashes of where an account signed in, for throttling")),
    ("throttle", Err("keyed hashes and counters, for throttling")),
    ("centres", Err("health centres")),
    ("staff", Err("staff accounts")),
    ("call_settings", Err("a centre's call settings")),
    ("call_rounds", Err("a centre's call rounds (counts)")),
    ("call_pacing", Err("a centre's call pacing")),
    ("centre_municipalities", Err("which centre serves which municipality")),
    ("institutions", Err("clinics")),
    ("org_accounts", Err("clinic accounts")),
    ("org_sessions", Err("clinic sessions")),
    ("org_audit_log", Err("what clinic accounts did (a notification's id, no content)")),
    ("daily_counts", Err("clinics' daily counts by age band")),
    ("stats_days", Err("statistics (counts)")),
    ("stats_days_done", Err("statistics bookkeeping")),
    ("retention_runs", Err("retention runs (counts)")),
    ("schema_migrations", Err("schema versions")),
];

fn tr(lang: Lang, ja: &'static str, en: &'static str) -> String {
    if lang == Lang::En { en } else { ja }.to_owned()
}

fn section(id: &str, title: String, columns: Vec<String>, rows: Vec<Vec<String>>) -> HeldSection {
    HeldSection { id: id.to_owned(), title, columns, rows }
}

fn when(ms: i64) -> String {
    datetime(crate::clinic::sql::time(ms))
}

/// The sections held about case `case_id`, in `lang`.
pub async fn sections(db: &Db, case_id: i64, lang: Lang) -> Result<Vec<HeldSection>> {
    let id = || vec![P::I(case_id)];
    let t = |ja, en| tr(lang, ja, en);
    let mut out = Vec::new();

    let account = query(
        db,
        "SELECT p.email, p.created_at, (SELECT count(*) FROM sessions s WHERE s.patient_id = p.id), \
         (SELECT max(s.created_at) FROM sessions s WHERE s.patient_id = p.id) FROM patients p WHERE p.case_id = $1",
        id(),
    )
    .await?;
    out.push(section(
        "account",
        t("ログインに使うアカウント", "Your sign-in account"),
        vec![t("メールアドレス", "E-mail"), t("登録日時", "Registered"), t("ログイン中の端末", "Signed-in devices"), t("最後のログイン", "Latest sign-in")],
        account
            .iter()
            .map(|r| Ok(vec![r.s(0)?, when(r.i(1)?), r.i(2)?.to_string(), r.oi(3)?.map(when).unwrap_or_default()]))
            .collect::<Result<_>>()?,
    ));

    let notifications = query(db, &format!("SELECT {NOTIFICATION_COLUMNS} WHERE n.case_id = $1 ORDER BY n.id"), id()).await?;
    let mut rows = Vec::new();
    for r in &notifications {
        let n = notification_of(r)?;
        for (label, value) in crate::clinic::pages::fields(&n, lang) {
            rows.push(vec![label.to_owned(), value]);
        }
    }
    out.push(section("notification", t("発生届", "The outbreak notification"), vec![t("項目", "Item"), t("内容", "Entry")], rows));

    let contacts = query(db, "SELECT at, outcome, note FROM contacts WHERE case_id = $1 ORDER BY at, id", id()).await?;
    out.push(section(
        "contacts",
        t("保健所からの連絡", "Contacts by the health centre"),
        vec![t("日時", "When"), t("結果", "Outcome"), t("記録", "Note")],
        contacts.iter().map(|r| Ok(vec![when(r.i(0)?), outcome(&r.s(1)?, lang), r.s(2)?])).collect::<Result<_>>()?,
    ));

    let handlings = query(
        db,
        "SELECT h.at, h.note, (SELECT count(*) FROM handled_reports x WHERE x.handling_id = h.id) FROM handlings h WHERE h.case_id = $1 ORDER BY h.at, h.id",
        id(),
    )
    .await?;
    out.push(section(
        "handlings",
        t("緊急の報告への対応", "How urgent reports were handled"),
        vec![t("日時", "When"), t("記録", "Note"), t("対象の報告", "Reports covered")],
        handlings.iter().map(|r| Ok(vec![when(r.i(0)?), r.s(1)?, r.i(2)?.to_string()])).collect::<Result<_>>()?,
    ));

    let calls = query(
        db,
        "SELECT day, round, status, CASE WHEN report_id IS NULL THEN 0 ELSE 1 END FROM call_attempts WHERE case_id = $1 ORDER BY day, round",
        id(),
    )
    .await?;
    out.push(section(
        "calls",
        t("自動音声の電話", "Automated calls"),
        vec![t("日付", "Day"), t("回", "Round"), t("結果", "Result"), t("プッシュ回答による報告", "Report from the keypad answers")],
        calls
            .iter()
            .map(|r| {
                let made = if r.i(3)? == 1 { t("あり（報告の一覧にあります）", "yes (in your reports)") } else { t("なし", "none") };
                Ok(vec![r.s(0)?, r.i(1)?.to_string(), r.s(2)?, made])
            })
            .collect::<Result<_>>()?,
    ));

    let transfers = query(
        db,
        "SELECT t.at, a.name, b.name, t.reason FROM transfers t JOIN centres a ON a.id = t.from_centre_id \
         JOIN centres b ON b.id = t.to_centre_id WHERE t.case_id = $1 ORDER BY t.at",
        id(),
    )
    .await?;
    out.push(section(
        "transfers",
        t("保健所の移管", "Transfers between health centres"),
        vec![t("日時", "When"), t("移管元", "From"), t("移管先", "To"), t("理由", "Reason")],
        transfers.iter().map(|r| Ok(vec![when(r.i(0)?), r.s(1)?, r.s(2)?, r.s(3)?])).collect::<Result<_>>()?,
    ));

    let household = query(
        db,
        "SELECT c.name, h.linked_at, h.unlinked_at FROM household h JOIN patients p ON p.id = h.patient_id JOIN cases c ON c.id = h.case_id \
         WHERE p.case_id = $1 ORDER BY h.linked_at",
        id(),
    )
    .await?;
    let member_of = query(db, "SELECT h.linked_at, h.unlinked_at FROM household h WHERE h.case_id = $1 ORDER BY h.linked_at", id()).await?;
    let mut rows: Vec<Vec<String>> = household
        .iter()
        .map(|r| Ok(vec![t("あなたが登録した世帯員", "A member you added"), r.s(0)?, when(r.i(1)?), r.oi(2)?.map(when).unwrap_or_default()]))
        .collect::<Result<_>>()?;
    for r in &member_of {
        rows.push(vec![t("世帯員として代理入力を受ける", "Reported for by a household member"), String::new(), when(r.i(0)?), r.oi(1)?.map(when).unwrap_or_default()]);
    }
    out.push(section("household", t("世帯員の登録", "Household links"), vec![t("種類", "Link"), t("氏名", "Name"), t("登録", "Linked"), t("解除", "Unlinked")], rows));

    let access = query(
        db,
        "SELECT a.at, a.action, s.role, ce.name FROM audit_log a JOIN staff s ON s.id = a.staff_id JOIN centres ce ON ce.id = a.centre_id \
         WHERE a.case_id = $1 ORDER BY a.at, a.id",
        id(),
    )
    .await?;
    out.push(section(
        "access",
        t("あなたの情報を閲覧・出力した記録", "Who read or exported your data"),
        vec![t("日時", "When"), t("内容", "What"), t("職員の区分", "Staff role"), t("保健所", "Health centre")],
        access
            .iter()
            .map(|r| {
                let action = AuditAction::parse(&r.s(1)?).map_or_else(|| r.s(1).unwrap_or_default(), |a| crate::web::audit::action_label(a, lang).to_owned());
                let role = if r.s(2)? == "admin" { t("管理者", "Administrator") } else { t("職員", "Staff") };
                Ok(vec![when(r.i(0)?), action, role, r.s(3)?])
            })
            .collect::<Result<_>>()?,
    ));
    Ok(out)
}

fn outcome(code: &str, lang: Lang) -> String {
    let (ja, en) = match code {
        "reached" => ("連絡がついた", "Reached"),
        "no_answer" => ("応答なし", "No answer"),
        "left_message" => ("伝言を残した", "Left a message"),
        _ => ("その他", "Other"),
    };
    tr(lang, ja, en)
}
