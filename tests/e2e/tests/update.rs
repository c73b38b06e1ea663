//! A server that needs a newer app: the phone core, which names its protocol version on
//! every request, is told to update (`CoreError::UpdateRequired`, in the person's
//! language) instead of failing; a report saved meanwhile stays queued on the phone and
//! nothing reaches the server.

#![allow(clippy::expect_used, clippy::unwrap_used, missing_docs)]

use e2e::backend::Backend;
use e2e::phone::Phone;
use e2e::staff::Staff;
use e2e::{days_ago, days_ahead};
use mobile_core::{CoreError, Language};

#[test]
fn a_core_older_than_the_server_accepts_is_told_to_update_and_keeps_its_reports() {
    let dir = tempfile::tempdir().expect("tempdir");
    let next = (protocol::wire::PROTOCOL_VERSION + 1).to_string();
    let backend = Backend::start_with(&dir.path().join("server"), &["--min-app-protocol", &next]);
    let phone = Phone::open(dir.path().join("phone.db"), &backend.url(), "old@example.jp");
    let refused = phone.core.request_code("old@example.jp".into(), Language::En);
    assert!(matches!(refused, Err(CoreError::UpdateRequired { ref reason }) if reason.contains("update the app")), "{refused:?}");
    let refused = phone.core.login("old@example.jp".into(), "Kumo-no-ue-9".into(), Language::Ja);
    assert!(matches!(refused, Err(CoreError::UpdateRequired { ref reason }) if reason.contains("アプリを最新版に更新")), "{refused:?}");
    phone.save(0, 1).expect("saving works whatever the server says");
    assert_eq!(phone.core.sync_status().expect("status").pending, 1);
    assert!(e2e::backend::latest_code(&backend.mail_dir(), "old@example.jp").is_none(), "no code was mailed");
}

#[test]
fn a_signed_in_phone_whose_server_starts_needing_a_newer_app_keeps_every_report() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut backend = Backend::start(&dir.path().join("server"));
    backend.create_centre("みなと保健所", "03-1234-5678", "J-UPDATE", "admin@update.example.jp");
    let staff = Staff::login(&backend.url(), "admin@update.example.jp", e2e::backend::ADMIN_PASSWORD);
    let case = staff.create_case(1, "infected", &days_ago(1), &days_ahead(8));
    let mut phone = Phone::open(dir.path().join("phone.db"), &backend.url(), "signed@example.jp");
    phone.register(&backend, &case);
    let sent = phone.save(0, 1).expect("save");
    assert_eq!(phone.core.sync_now(Language::Ja).expect("sync").pending, 0);

    let next = (protocol::wire::PROTOCOL_VERSION + 1).to_string();
    backend.restart_with(&["--min-app-protocol", &next]);
    let kept = phone.save(0, 2).expect("save");
    let refused = phone.core.sync_now(Language::Ja);
    assert!(matches!(refused, Err(CoreError::UpdateRequired { .. })), "{refused:?}");
    let status = phone.core.sync_status().expect("status");
    assert_eq!((status.pending, status.failed), (1, 0), "the report waits; it is not marked refused");
    assert!(phone.core.is_logged_in().expect("logged in"), "the session is kept");
    backend.restart_with(&[]);
    assert_eq!(phone.core.sync_now(Language::Ja).expect("sync").pending, 0);
    let on_server: Vec<String> = staff.reports(case.id).into_iter().map(|r| r.id).collect();
    assert_eq!(on_server, [sent, kept]);
}
