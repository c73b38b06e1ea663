//! PostgreSQL over TLS (rustls): the test makes an authority and a server certificate,
//! starts a PostgreSQL of its own with `ssl = on` (`tests/setup/postgres.sh`), and opens
//! the store as the server does. `verify-full` is refused with the public roots and with
//! a wrong authority, accepted with the right one (the session is encrypted, as
//! `pg_stat_ssl` shows); `require` against a server without TLS is refused.
//! Runs on every database setting (it needs root and PostgreSQL, which the script
//! installs); it fails rather than skips when the server cannot start.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod ops_support;

use backend::config::DatabaseUrl;
use backend::db::Db;
use backend::tls::{RootSet, Trust, TrustConfig};
use ops_support::*;
use std::path::Path;
use std::process::Command;

/// A throwaway PostgreSQL; stopped when dropped.
struct Server {
    cache: tempfile::TempDir,
    url: String,
}

impl Server {
    fn start(cert: &Path, key: &Path) -> Server {
        let cache = tempfile::tempdir().unwrap();
        let out = Command::new("bash")
            .arg(repo_root().join("tests/setup/postgres.sh"))
            .arg("start")
            .env("MIMAMORI_CACHE", cache.path())
            .env("MIMAMORI_PG_TLS_CERT", cert)
            .env("MIMAMORI_PG_TLS_KEY", key)
            .output()
            .expect("run tests/setup/postgres.sh");
        assert!(out.status.success(), "PostgreSQL with TLS did not start: {}", String::from_utf8_lossy(&out.stderr));
        Server { url: String::from_utf8(out.stdout).unwrap().trim().to_owned(), cache }
    }

    /// The URL with `sslmode` and the host name the certificate names.
    fn url(&self, sslmode: &str) -> DatabaseUrl {
        DatabaseUrl::Postgres(format!("{}?sslmode={sslmode}", self.url.replace("@127.0.0.1:", "@localhost:")))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = Command::new("bash").arg(repo_root().join("tests/setup/postgres.sh")).arg("stop").env("MIMAMORI_CACHE", self.cache.path()).output();
    }
}

fn trust(ca: Option<&TestCa>) -> Trust {
    Trust::load(&TrustConfig { roots: RootSet::Public, extra_ca_file: ca.map(|c| c.pem_file.clone()) }).unwrap()
}

fn refusal(r: Result<Db, backend::error::Error>) -> String {
    match r {
        Ok(_) => panic!("the connection was accepted"),
        Err(e) => format!("{e}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verify_full_checks_the_authority_and_require_needs_tls() {
    let tmp = tempfile::tempdir().unwrap();
    let right = TestCa::new(tmp.path(), "right");
    let wrong = TestCa::new(tmp.path(), "wrong");
    let (cert, key) = right.server_cert(tmp.path(), "pg");
    let server = Server::start(&cert, &key);

    // The public web roots and a wrong authority: the handshake fails, named.
    let e = refusal(Db::open_trusting(&server.url("verify-full"), &trust(None)).await);
    assert!(e.contains("TLS handshake failed: server certificate not issued by a trusted authority"), "{e}");
    let e = refusal(Db::open_trusting(&server.url("verify-full"), &trust(Some(&wrong))).await);
    assert!(e.contains("unknown issuer"), "{e}");
    assert!(!e.contains("postgres@"), "the URL is not repeated: {e}");

    // The right authority: connected (and migrated) over TLS.
    let db = Db::open_trusting(&server.url("verify-full"), &trust(Some(&right))).await.expect("verify-full with the right authority");
    db.ping().await.unwrap();
    let (client, conn) = tokio_postgres::connect(&server.url, tokio_postgres::NoTls).await.unwrap();
    tokio::spawn(conn);
    let encrypted: i64 = client.query_one("SELECT count(*) FROM pg_stat_ssl WHERE ssl", &[]).await.unwrap().get(0);
    assert!(encrypted >= 1, "the store's connection is encrypted");
    // `require` checks the same way.
    assert!(Db::open_trusting(&server.url("require"), &trust(Some(&right))).await.is_ok());
    assert!(Db::open_trusting(&server.url("require"), &trust(Some(&wrong))).await.is_err());
    // An unknown sslmode is refused by name.
    let e = refusal(Db::open_trusting(&server.url("sometimes"), &trust(Some(&right))).await);
    assert!(e.contains("sslmode must be"), "{e}");

    // The same server with TLS turned off: `require` is refused, plain still works.
    client.batch_execute("ALTER SYSTEM SET ssl = off").await.unwrap();
    client.query_one("SELECT pg_reload_conf()", &[]).await.unwrap();
    let mut off = false;
    for _ in 0..50 {
        let (c, conn) = tokio_postgres::connect(&server.url, tokio_postgres::NoTls).await.unwrap();
        tokio::spawn(conn);
        if c.query_one("SHOW ssl", &[]).await.unwrap().get::<_, String>(0) == "off" {
            off = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(off, "ssl was turned off");
    let e = refusal(Db::open_trusting(&server.url("require"), &trust(Some(&right))).await);
    assert!(e.contains("server does not support TLS"), "{e}");
    assert!(Db::open_trusting(&server.url("disable"), &trust(None)).await.is_ok());
}
