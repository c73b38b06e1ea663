//! The settings file, from outside (the binary): every setting can come from it under the
//! flag's name, the precedence flag > environment > file > default holds, `--print-config`
//! shows where each value came from with secrets masked (and its output is a valid
//! settings file), the file's values take effect in a running server, and each kind of
//! bad file stops start-up with the key's name before anything listens.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod ops_support;

use common::*;
use ops_support::*;
use std::path::Path;
use std::process::{Command, Output};

/// The binary with an empty environment (no stray MIMAMORI_* from the caller).
fn bin() -> Command {
    let mut c = Command::new(BIN);
    c.env_clear().env("PATH", std::env::var_os("PATH").unwrap_or_default());
    c
}

fn print_config(file: &Path, extra: &[&str], env: &[(&str, &str)]) -> String {
    let mut c = bin();
    c.arg("--config").arg(file).arg("serve").args(extra).arg("--print-config");
    for (k, v) in env {
        c.env(k, v);
    }
    let out = c.output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// Every setting, none at its default.
const EVERY_KEY: &str = r#"
database-url = "postgres://app@db.example.jp:5432/mimamori?sslmode=verify-full"
trusted-roots = "system"
extra-ca-file = "/etc/mimamori/ca.pem"
listen = "0.0.0.0:9090"
mail-dir = "/var/spool/mimamori"
smtp-host = "relay.example.jp"
smtp-port = 2525
smtp-security = "tls"
smtp-user = "mimamori"
smtp-password-file = "/run/secrets/smtp"
centre-name = "みなと保健所"
mail-from = "見守り <no-reply@example.jp>"
trusted-proxy = ["10.0.0.1", "10.0.0.2"]
app-url = "https://mimamori.example.jp/app"
fhir-canonical = "https://fhir.example.jp/mimamori"
secure-cookies = true
urgent-alert-minutes = 45
min-app-protocol = 2
android-package = "jp.example.mimamori"
android-cert-sha256 = ["AB:CD"]
ios-app-id = "TEAM123.jp.example.mimamori"
call-provider = "twilio"
public-url = "https://mimamori.example.jp"
no-call-scheduler = true
age-bands = "0,20,40,65"
stats-max-age-seconds = 120
retention-days = 400
"#;

#[test]
fn every_setting_can_come_from_the_file() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("mimamori.toml");
    std::fs::write(&file, EVERY_KEY).unwrap();
    let printed = print_config(&file, &[], &[]);
    for line in EVERY_KEY.lines().filter(|l| !l.is_empty()) {
        let (key, value) = line.split_once(" = ").unwrap();
        let shown = match value {
            "true" | "false" => value.to_owned(),
            v if v.starts_with('[') => format!("\"{}\"", v.trim_matches(['[', ']']).replace("\", \"", ",").trim_matches('"')),
            v if v.starts_with('"') => v.to_owned(),
            v => format!("\"{v}\""),
        };
        assert!(printed.contains(&format!("\n{key} = {shown}  # file\n")), "{key}: {printed}");
    }
    // The file covers every setting there is: nothing is left at its default.
    assert!(!printed.contains("# default") && !printed.contains("is not set"), "a setting the file does not cover: {printed}");
}

#[test]
fn flag_beats_environment_beats_file_beats_default() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("mimamori.toml");
    std::fs::write(&file, "smtp-port = 2525\nmail-from = \"file@example.jp\"\ncentre-name = \"File Centre\"\nsecure-cookies = true\n").unwrap();
    let env = [("MIMAMORI_SMTP_PORT", "2600"), ("MIMAMORI_MAIL_FROM", "env@example.jp"), ("MIMAMORI_SECURE_COOKIES", "false")];
    let printed = print_config(&file, &["--smtp-port", "2700"], &env);
    assert!(printed.contains("\nsmtp-port = \"2700\"  # flag\n"), "{printed}");
    assert!(printed.contains("\nmail-from = \"env@example.jp\"  # environment\n"), "{printed}");
    assert!(printed.contains("\nsecure-cookies = false  # environment\n"), "{printed}");
    assert!(printed.contains("\ncentre-name = \"File Centre\"  # file\n"), "{printed}");
    assert!(printed.contains("\nurgent-alert-minutes = \"30\"  # default\n"), "{printed}");
    // MIMAMORI_CONFIG names the file too, and the printed settings read back as a file
    // give the same values.
    let again = tmp.path().join("printed.toml");
    std::fs::write(&again, &printed).unwrap();
    let reread = print_config(&again, &[], &[]);
    for key in ["smtp-port = \"2700\"", "mail-from = \"env@example.jp\"", "centre-name = \"File Centre\"", "secure-cookies = false"] {
        assert!(reread.contains(&format!("\n{key}  # file\n")), "{key}: {reread}");
    }
    let out = bin().args(["serve", "--print-config"]).env("MIMAMORI_CONFIG", &file).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("\nsmtp-port = \"2525\"  # file\n"));
}

#[test]
fn print_config_masks_secrets_and_connects_to_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("mimamori.toml");
    std::fs::write(&file, "database-url = \"postgres://app:Sup3r-Secret@db.invalid:5432/m\"\n").unwrap();
    let env = [("MIMAMORI_SMTP_PASSWORD", "relay-Hidden-1"), ("MIMAMORI_METRICS_TOKEN", "metrics-token-Hidden-123")];
    let printed = print_config(&file, &[], &env);
    assert!(!printed.contains("Sup3r-Secret") && !printed.contains("Hidden"), "{printed}");
    assert!(printed.contains("database-url = \"postgres://app:***@db.invalid:5432/m\"  # file"), "{printed}");
    assert!(printed.contains("# smtp password (MIMAMORI_SMTP_PASSWORD): set (not shown)"), "{printed}");
    assert!(printed.contains("# metrics token (MIMAMORI_METRICS_TOKEN): set (not shown)"), "{printed}");
    assert!(printed.contains("# admin password (MIMAMORI_ADMIN_PASSWORD): not set"), "{printed}");
    // Another command's arguments are a person's particulars: never printed.
    let out = bin()
        .arg("--config")
        .arg(&file)
        .args(["create-centre", "--name", "ひばり保健所", "--emergency-number", "011-222-3333", "--jurisdiction-code", "J-PC"])
        .args(["--admin-email", "kanri@hibari.example.jp", "--admin-name", "見守 花子", "--print-config"])
        .output()
        .unwrap();
    let printed = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success() && printed.contains("database-url"), "{printed}");
    for value in ["ひばり保健所", "011-222-3333", "kanri@hibari.example.jp", "見守 花子"] {
        assert!(!printed.contains(value), "--print-config shows a create-centre argument: {printed}");
    }
}

/// A server started from a file uses it: its mail folder, its centre name, its database.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_runs_on_the_files_settings() {
    let tmp = tempfile::tempdir().unwrap();
    let url = fresh_database(tmp.path()).await;
    let mail = tmp.path().join("from-file-mail");
    let file = tmp.path().join("mimamori.toml");
    let text = format!(
        "database-url = {}\nmail-dir = {}\ncentre-name = \"Minato Health Centre\"\nlisten = \"127.0.0.1:0\"\nno-call-scheduler = true\n",
        toml_string(&database_url_text(&url)),
        toml_string(&mail.display().to_string())
    );
    std::fs::write(&file, text).unwrap();
    let mut cmd = bin();
    cmd.arg("--config").arg(&file);
    let served = Served::start(cmd);
    assert!(served.printed.iter().any(|l| l.contains(&mail.display().to_string())), "{:?}", served.printed);
    let (status, body) = http(&served.addr, "GET", "/readyz", None);
    assert_eq!(status, 200, "{body}");
    let (status, body) = http(&served.addr, "POST", "/api/v1/registrations", Some(&serde_json::json!({ "email": "file.reader@example.jp" })));
    assert_eq!(status, 202, "{body}");
    let written: Vec<_> = std::fs::read_dir(&mail).unwrap().map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap()).collect();
    assert_eq!(written.len(), 1);
    assert!(written[0].contains("Minato Health Centre"), "{}", written[0]);
    assert!(backend::mail::latest_code_in_folder(&mail, "file.reader@example.jp").is_some());
}

fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_owned()).to_string()
}

fn serve_with(file_text: &str) -> (Output, String) {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("mimamori.toml");
    std::fs::write(tmp.path().join("junk.pem"), "not a certificate\n").unwrap();
    let text = file_text.replace("JUNK", &tmp.path().join("junk.pem").display().to_string());
    std::fs::write(&file, format!("database-url = {}\nlisten = \"127.0.0.1:0\"\n{text}", toml_string(&tmp.path().join("db.sqlite").display().to_string()))).unwrap();
    let out = bin().arg("--config").arg(&file).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    (out, stderr)
}

#[test]
fn each_bad_file_stops_start_up_naming_the_key() {
    let cases: &[(&str, &str)] = &[
        ("smtp-hots = \"relay.example.jp\"", "unknown key `smtp-hots`"),
        ("smtp-password = \"pw\"", "unknown key `smtp-password`: the password comes from MIMAMORI_SMTP_PASSWORD or smtp-password-file"),
        ("[smtp]\nhost = \"relay\"", "unknown key `smtp`"),
        ("smtp-port = \"x\"", "key `smtp-port`: invalid value 'x'"),
        ("smtp-port = 70000", "key `smtp-port`: invalid value '70000'"),
        ("urgent-alert-minutes = 0", "key `urgent-alert-minutes`: invalid value '0'"),
        ("smtp-security = \"ssl\"", "key `smtp-security`: invalid value 'ssl'"),
        ("trusted-roots = \"private\"", "key `trusted-roots`: invalid value 'private'"),
        ("secure-cookies = \"yes\"", "key `secure-cookies`: must be true or false, not string"),
        ("trusted-proxy = [1.5]", "key `trusted-proxy`: list items must be strings, not float"),
        ("trusted-proxy = [\"not-an-ip\"]", "key `trusted-proxy`: invalid value 'not-an-ip'"),
        ("mail-dir = [\"a\"]", "key `mail-dir`: must be a string or a number, not array"),
        ("smtp-host = \"relay", "not valid TOML (line 3)"),
        ("extra-ca-file = \"JUNK\"", "extra-ca-file"),
        ("smtp-host = \"relay.example.jp\"\nsmtp-security = \"none\"", "smtp-security = none is allowed only for a relay on the loopback address"),
        ("smtp-host = \"localhost\"\nsmtp-user = \"u\"", "smtp-user is set but no password"),
    ];
    for (text, expected) in cases {
        let (out, stderr) = serve_with(text);
        assert!(!out.status.success(), "{text}: started");
        assert!(stderr.contains(expected), "{text}: expected {expected:?} in {stderr}");
        assert!(!String::from_utf8_lossy(&out.stdout).contains("listening on"), "{text}");
    }
    let (out, stderr) = serve_with("extra-ca-file = \"JUNK\"");
    assert!(!out.status.success() && stderr.contains("holds no certificate"), "{stderr}");
    let out = bin().args(["--config", "/nonexistent/mimamori.toml", "serve"]).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("settings file /nonexistent/mimamori.toml: cannot be read"));
}
