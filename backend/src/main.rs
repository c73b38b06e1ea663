//! `mimamori-backend`: serve the API and pages (default), create the first health
//! centre, register a case, or fill a database with demo data and serve it. All the
//! work is in the library; this file only reads the command line, the environment and
//! the settings file (`settings.rs`: flag > environment > file > default).

use anyhow::Context;
use backend::config::{Config, DatabaseUrl};
use backend::db::Db;
use backend::password::HashCost;
use backend::secret::Secret;
use backend::{AppState, Clock, cli};
use clap::{Parser, Subcommand};
use std::ffi::OsString;
use std::io::{BufRead, IsTerminal};
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Parser)]
#[command(name = "mimamori-backend", version, about = "Mimamori server")]
struct Args {
    /// SQLite file path (default) or postgres://… URL.
    #[arg(long, env = "DATABASE_URL", default_value = "./mimamori.db", global = true)]
    database_url: String,
    /// A TOML settings file: every flag's long name as a key (smtp-host = "…").
    /// Precedence: flag > environment > file > default.
    #[arg(long, env = "MIMAMORI_CONFIG", global = true)]
    config: Option<PathBuf>,
    /// Print the effective settings (secrets masked) and exit.
    #[arg(long, global = true)]
    print_config: bool,
    /// Trusted certificate authorities for the SMTP relay and PostgreSQL over TLS:
    /// public (the web roots built in) or system (the operating system's store).
    #[arg(long, env = "MIMAMORI_TRUSTED_ROOTS", default_value = "public", global = true, value_parser = ["public", "system"])]
    trusted_roots: String,
    /// A PEM file of extra certificate authorities (a private CA), trusted besides the
    /// roots above for the SMTP relay and PostgreSQL (sslmode=require/verify-full).
    #[arg(long, env = "MIMAMORI_EXTRA_CA_FILE", global = true)]
    extra_ca_file: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the HTTP API (the default).
    Serve(ServeArgs),
    /// Create a health centre and its first admin. The password is read from
    /// MIMAMORI_ADMIN_PASSWORD or, if unset, from the first line of standard input.
    CreateCentre {
        /// Centre name, e.g. みなと保健所.
        #[arg(long)]
        name: String,
        /// Emergency number printed on the leaflet.
        #[arg(long)]
        emergency_number: String,
        /// Jurisdiction code (unique).
        #[arg(long)]
        jurisdiction_code: String,
        /// Admin login e-mail.
        #[arg(long)]
        admin_email: String,
        /// Admin display name.
        #[arg(long, default_value = "管理者")]
        admin_name: String,
    },
    /// Register a case at a health centre and print its smartphone input ID (the same
    /// checks as the staff API).
    CreateCase {
        /// The centre's id (printed by create-centre).
        #[arg(long)]
        centre_id: i64,
        #[command(flatten)]
        case: CaseArgs,
    },
    /// Fill the database with two demo centres, cases, patients and reports, print the
    /// logins, then serve (takes the same options as `serve`).
    Demo {
        /// Only fill the database; do not serve.
        #[arg(long)]
        fill_only: bool,
        #[command(flatten)]
        serve: ServeArgs,
    },
    /// Start today's automated-call round now at every centre (the running server's
    /// scheduler places the calls at each centre's pace).
    CallRound {
        /// The retry round (once every first-round call has ended).
        #[arg(long)]
        retry: bool,
    },
    /// Create a medical institution and its first admin login (password from
    /// MIMAMORI_ADMIN_PASSWORD or the first line of standard input).
    CreateInstitution {
        /// Name, e.g. みなとクリニック.
        #[arg(long)]
        name: String,
        /// 10-digit medical institution code.
        #[arg(long)]
        code: String,
        /// Municipality code (5 digits) of its address.
        #[arg(long)]
        municipality_code: String,
        /// Admin login e-mail.
        #[arg(long)]
        admin_email: String,
        /// Admin display name.
        #[arg(long, default_value = "管理者")]
        admin_name: String,
    },
    /// Add a municipality (5-digit code) to a centre's jurisdiction: notifications of
    /// patients living there are routed to that centre.
    AddMunicipality {
        /// The centre's id.
        #[arg(long)]
        centre_id: i64,
        /// Municipality code, e.g. 13103.
        #[arg(long)]
        code: String,
        /// Municipality name, e.g. 港区.
        #[arg(long)]
        name: String,
    },
    /// Copy the database into a new file while the server keeps serving (SQLite: the
    /// online backup API; PostgreSQL: pg_dump --format=custom).
    Backup {
        /// The new backup file (refused if it exists).
        #[arg(long)]
        to: PathBuf,
    },
    /// Restore a backup into a database that does not exist yet (SQLite: a new file,
    /// checked with integrity_check; PostgreSQL: pg_restore into an empty database).
    Restore {
        /// The backup file.
        #[arg(long)]
        from: PathBuf,
    },
    /// Create a login of the aggregate role (prefecture, ministry) that reads the whole
    /// server's statistics (password as for create-institution).
    CreateAggregateAccount {
        /// Login e-mail.
        #[arg(long)]
        email: String,
        /// Display name.
        #[arg(long, default_value = "統計閲覧")]
        name: String,
    },
}

/// The fields of a case, as the staff API takes them.
#[derive(clap::Args)]
struct CaseArgs {
    /// Full name, e.g. 山田 太郎.
    #[arg(long)]
    name: String,
    /// Reading of the name, e.g. やまだ たろう.
    #[arg(long)]
    name_reading: String,
    /// Date of birth, YYYY-MM-DD.
    #[arg(long)]
    date_of_birth: String,
    /// Phone number (full-width digits, spaces and hyphens are accepted).
    #[arg(long)]
    phone: String,
    /// E-mail address, optional.
    #[arg(long)]
    email: Option<String>,
    /// infected, close_contact or awaiting_result.
    #[arg(long, default_value = "infected")]
    kind: String,
    /// Observation by `app` or by automated `phone` call.
    #[arg(long, default_value = "app")]
    observation: String,
    /// First day of observation, YYYY-MM-DD.
    #[arg(long)]
    period_start: String,
    /// Last day of observation, YYYY-MM-DD.
    #[arg(long)]
    period_end: String,
}

#[derive(clap::Args)]
struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "MIMAMORI_LISTEN", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Folder for verification mail when no SMTP relay is set.
    #[arg(long, env = "MIMAMORI_MAIL_DIR", default_value = "./mail")]
    mail_dir: PathBuf,
    /// SMTP relay host; certificates are checked for this name.
    #[arg(long, env = "MIMAMORI_SMTP_HOST")]
    smtp_host: Option<String>,
    /// SMTP port (default 587 for starttls, 465 for tls, 25 for none).
    #[arg(long, env = "MIMAMORI_SMTP_PORT")]
    smtp_port: Option<u16>,
    /// starttls (required), tls (implicit, port 465) or none (a relay on the loopback
    /// address only, such as a development relay).
    #[arg(long, env = "MIMAMORI_SMTP_SECURITY", default_value = "starttls", value_parser = ["starttls", "tls", "none"])]
    smtp_security: String,
    /// SMTP user; the password comes from MIMAMORI_SMTP_PASSWORD or smtp-password-file.
    #[arg(long, env = "MIMAMORI_SMTP_USER")]
    smtp_user: Option<String>,
    /// A file whose first line is the SMTP password.
    #[arg(long, env = "MIMAMORI_SMTP_PASSWORD_FILE")]
    smtp_password_file: Option<PathBuf>,
    /// The health centre's name, signed under the verification mail (when this server
    /// serves one centre).
    #[arg(long, env = "MIMAMORI_CENTRE_NAME")]
    centre_name: Option<String>,
    /// Sender address of the verification mail.
    #[arg(long, env = "MIMAMORI_MAIL_FROM")]
    mail_from: Option<String>,
    /// The addresses of the reverse proxies in front of this server, comma-separated: a
    /// request from one of them is counted for the client it added to X-Forwarded-For.
    #[arg(long, env = "MIMAMORI_TRUSTED_PROXIES", value_delimiter = ',')]
    trusted_proxy: Vec<std::net::IpAddr>,
    /// The patient start page printed on the leaflet: this server's public address
    /// followed by /app (default: http://LISTEN-ADDRESS/app).
    #[arg(long, env = "MIMAMORI_APP_URL")]
    app_url: Option<String>,
    /// The canonical base of the FHIR definitions, code systems and identifiers (the
    /// same on every server of the deployment and across deployments).
    #[arg(long, env = "MIMAMORI_FHIR_CANONICAL", default_value = backend::fhir::DEFAULT_CANONICAL)]
    fhir_canonical: String,
    /// Mark the staff session cookie Secure (when served over HTTPS).
    #[arg(long, env = "MIMAMORI_SECURE_COOKIES")]
    secure_cookies: bool,
    /// Minutes an urgent report may wait unhandled before every signed-in staff member
    /// of the centre is alerted (1–1440).
    #[arg(long, env = "MIMAMORI_URGENT_ALERT_MINUTES", default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=1440))]
    urgent_alert_minutes: u32,
    /// The oldest app protocol version accepted; older phone cores are told to update.
    #[arg(long, env = "MIMAMORI_MIN_APP_PROTOCOL", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=1000))]
    min_app_protocol: u32,
    /// The Android app allowed to open the leaflet's link (App Links).
    #[arg(long, env = "MIMAMORI_ANDROID_PACKAGE", default_value = "jp.mimamori.app")]
    android_package: String,
    /// SHA-256 fingerprints of the Android app's signing certificates, comma-separated
    /// (AB:CD:…); unset, /.well-known/assetlinks.json is 404.
    #[arg(long, env = "MIMAMORI_ANDROID_CERT_SHA256", value_delimiter = ',')]
    android_cert_sha256: Vec<String>,
    /// The iOS app id TEAMID.jp.mimamori.app allowed to open the leaflet's link
    /// (universal links); unset, /.well-known/apple-app-site-association is 404.
    #[arg(long, env = "MIMAMORI_IOS_APP_ID")]
    ios_app_id: Option<String>,
    /// Who places the automated morning calls: simulated (default), twilio or vonage
    /// (credentials from the environment only; see backend/README.md).
    #[arg(long, env = "MIMAMORI_CALL_PROVIDER", default_value = "simulated")]
    call_provider: String,
    /// This server's public address as the call provider reaches it (default:
    /// http://LISTEN-ADDRESS); the webhook addresses and signatures are built on it.
    #[arg(long, env = "MIMAMORI_PUBLIC_URL")]
    public_url: Option<String>,
    /// Do not run the call scheduler in this server copy.
    #[arg(long, env = "MIMAMORI_NO_CALL_SCHEDULER")]
    no_call_scheduler: bool,
    /// Age bands of the clinics' daily counts and the statistics: ascending lower
    /// bounds from 0, comma-separated.
    #[arg(long, env = "MIMAMORI_AGE_BANDS", default_value = "0,10,20,30,40,50,60,65,70,80,90")]
    age_bands: String,
    /// Seconds today's statistics may be old before they are computed again.
    #[arg(long, env = "MIMAMORI_STATS_MAX_AGE_SECONDS", default_value_t = 60)]
    stats_max_age_seconds: u64,
    /// Days after a case's observation ended before its personal data is removed
    /// (30–3650).
    #[arg(long, env = "MIMAMORI_RETENTION_DAYS", default_value_t = 365, value_parser = clap::value_parser!(u32).range(30..=3650))]
    retention_days: u32,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    backend::logging::init();
    let argv: Vec<OsString> = std::env::args_os().collect();
    let (args, parsed) = backend::settings::parse::<Args>(argv).map_err(anyhow::Error::msg)?;
    if args.print_config {
        let secrets = [
            ("smtp password (MIMAMORI_SMTP_PASSWORD)", std::env::var_os("MIMAMORI_SMTP_PASSWORD").is_some()),
            ("metrics token (MIMAMORI_METRICS_TOKEN)", std::env::var_os("MIMAMORI_METRICS_TOKEN").is_some()),
            ("admin password (MIMAMORI_ADMIN_PASSWORD)", std::env::var_os("MIMAMORI_ADMIN_PASSWORD").is_some()),
        ];
        print!("{}", parsed.effective(&secrets));
        return Ok(());
    }
    let url = DatabaseUrl::parse(&args.database_url);
    let trust = backend::startup::trust(&args.trusted_roots, args.extra_ca_file.clone()).map_err(anyhow::Error::msg)?;
    let open = |url: &DatabaseUrl| {
        let url = url.clone();
        let trust = trust.clone();
        async move { Db::open_trusting(&url, &trust).await.context("opening the database") }
    };
    match args.command {
        None => anyhow::bail!("no command"),
        Some(Command::Serve(s)) => serve(&url, open(&url).await?, s, trust).await,
        Some(Command::Backup { to }) => {
            println!("{}", backend::backup::backup(&url, &to).context("backup")?);
            Ok(())
        }
        Some(Command::Restore { from }) => {
            println!("{}", backend::backup::restore(&url, &from).context("restore")?);
            Ok(())
        }
        Some(Command::CreateCentre { name, emergency_number, jurisdiction_code, admin_email, admin_name }) => {
            let admin_password = read_password()?;
            let db = open(&url).await?;
            let setup = cli::CentreSetup { name, emergency_number, jurisdiction_code, admin_email, admin_name, admin_password };
            let (centre, staff_id) = cli::create_centre(&db, setup, HashCost::OWASP).await.context("creating the centre")?;
            println!("created centre {} (id {}) with admin account id {staff_id}", centre.name, centre.id);
            Ok(())
        }
        Some(Command::CreateCase { centre_id, case }) => {
            let db = open(&url).await?;
            let request = backend::http::cases::CaseRequest {
                name: case.name,
                name_reading: case.name_reading,
                date_of_birth: case.date_of_birth,
                phone: case.phone,
                email: case.email,
                kind: case.kind,
                observation: case.observation,
                period_start: case.period_start,
                period_end: case.period_end,
            };
            let record = cli::create_case(&db, centre_id, request).await.context("registering the case")?;
            println!("registered case {} at centre {centre_id}: smartphone input ID {}", record.id, record.input_id);
            Ok(())
        }
        Some(Command::CallRound { retry }) => {
            let db = open(&url).await?;
            let round = if retry { backend::call::Round::Retry } else { backend::call::Round::First };
            for (centre, planned) in backend::call::plan_now(&db, round, chrono::Utc::now()).await.context("planning the round")? {
                match planned {
                    Some(n) => println!("centre {centre}: {n} people to call"),
                    None => println!("centre {centre}: this round has already started today (or first-round calls are still open)"),
                }
            }
            Ok(())
        }
        Some(Command::CreateInstitution { name, code, municipality_code, admin_email, admin_name }) => {
            let admin_password = read_password()?.expose().clone();
            let db = open(&url).await?;
            let setup = backend::clinic::admin::InstitutionSetup { name, code, municipality_code, admin_email, admin_name, admin_password };
            let (id, account) = backend::clinic::admin::create_institution(&db, setup, None, HashCost::OWASP).await.map_err(|e| anyhow::anyhow!("{}", e.message.en))?;
            println!("created institution {id} with admin login id {account}");
            Ok(())
        }
        Some(Command::AddMunicipality { centre_id, code, name }) => {
            let db = open(&url).await?;
            backend::clinic::admin::add_municipality(&db, centre_id, &code, &name).await.map_err(|e| anyhow::anyhow!("{}", e.message.en))?;
            println!("centre {centre_id} now covers municipality {code}");
            Ok(())
        }
        Some(Command::CreateAggregateAccount { email, name }) => {
            let password = read_password()?.expose().clone();
            let db = open(&url).await?;
            let id = backend::clinic::admin::create_aggregate(&db, &email, &name, &password, HashCost::OWASP).await.map_err(|e| anyhow::anyhow!("{}", e.message.en))?;
            println!("created aggregate statistics login id {id}");
            Ok(())
        }
        Some(Command::Demo { fill_only, serve: serve_args }) => {
            let db = open(&url).await?;
            for line in cli::demo(&db, HashCost::OWASP, chrono::Utc::now()).await.context("writing demo data")? {
                println!("{line}");
            }
            for line in backend::call::demo_centre(&db, HashCost::OWASP).await.context("writing the call demo")? {
                println!("{line}");
            }
            for line in backend::clinic::demo(&db, HashCost::OWASP).await.context("writing the clinics demo")? {
                println!("{line}");
            }
            if fill_only {
                return Ok(());
            }
            serve(&url, db, serve_args, trust).await
        }
    }
}

fn read_password() -> anyhow::Result<Secret<String>> {
    if let Ok(p) = std::env::var("MIMAMORI_ADMIN_PASSWORD") {
        return Ok(Secret::new(p));
    }
    if std::io::stdin().is_terminal() {
        eprintln!("admin password (input is shown; prefer piping it or MIMAMORI_ADMIN_PASSWORD):");
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).context("reading the password from standard input")?;
    let p = line.trim_end_matches(['\r', '\n']).to_owned();
    anyhow::ensure!(!p.is_empty(), "no admin password given (set MIMAMORI_ADMIN_PASSWORD or pipe it on standard input)");
    Ok(Secret::new(p))
}

async fn serve(url: &DatabaseUrl, db: Db, s: ServeArgs, trust: backend::tls::Trust) -> anyhow::Result<()> {
    backend::sigbus::install().map_err(anyhow::Error::msg)?;
    let mail_dir = std::path::absolute(&s.mail_dir).unwrap_or(s.mail_dir.clone());
    let mut config = Config::new(mail_dir);
    config.trust = trust;
    config.centre_name = s.centre_name.filter(|n| !n.trim().is_empty());
    config.trusted_proxies = s.trusted_proxy;
    config.secure_cookies = s.secure_cookies;
    config.urgent_alert_after = std::time::Duration::from_secs(u64::from(s.urgent_alert_minutes) * 60);
    config.min_app_protocol = s.min_app_protocol;
    config.app_links = backend::web::app_links::AppLinks {
        android_package: s.android_package,
        android_fingerprints: s.android_cert_sha256.into_iter().map(|f| f.trim().to_owned()).filter(|f| !f.is_empty()).collect(),
        ios_app_id: s.ios_app_id.filter(|id| !id.trim().is_empty()),
    };
    // From the environment only: a token on the command line shows in the process list.
    config.metrics_token = std::env::var("MIMAMORI_METRICS_TOKEN").ok().filter(|t| t.len() >= 16).map(Secret::new);
    if let Some(from) = s.mail_from {
        config.mail_from = from;
    }
    if let Some(host) = s.smtp_host {
        config.smtp = Some(backend::startup::smtp(host, s.smtp_port, &s.smtp_security, s.smtp_user, s.smtp_password_file.as_deref()).map_err(anyhow::Error::msg)?);
    }
    let listener = tokio::net::TcpListener::bind(s.listen).await.with_context(|| format!("binding {}", s.listen))?;
    let addr = listener.local_addr()?;
    config.app_url = s.app_url.unwrap_or_else(|| format!("http://{addr}{}", protocol::APP_PATH));
    config.fhir_canonical = s.fhir_canonical.trim_end_matches('/').to_owned();
    if !config.fhir_canonical.starts_with("https://") && !config.fhir_canonical.starts_with("http://") {
        anyhow::bail!("--fhir-canonical must be an absolute http(s) URL (e.g. {})", backend::fhir::DEFAULT_CANONICAL);
    }
    if !config.app_url.ends_with(protocol::APP_PATH) || !config.app_url.contains("://") {
        anyhow::bail!("--app-url must be this server's public address followed by {} (e.g. https://mimamori.example.jp/app)", protocol::APP_PATH);
    }
    let public_url = s.public_url.unwrap_or_else(|| format!("http://{addr}"));
    config.call = backend::call::CallConfig::from_env(&s.call_provider, public_url, !s.no_call_scheduler).map_err(anyhow::Error::msg)?;
    config.clinic.age_bands = backend::clinic::AgeBands::parse(&s.age_bands).map_err(anyhow::Error::msg)?;
    config.clinic.stats_max_age = std::time::Duration::from_secs(s.stats_max_age_seconds);
    config.retention_days = s.retention_days;
    let state = AppState::new(db, config, Clock::default()).context("starting")?;
    for line in backend::startup::check(&state, &url.describe()).await.map_err(anyhow::Error::msg)? {
        println!("{line}");
    }
    println!("listening on http://{addr}");
    println!("health-centre pages: http://{addr}/ (staff login)");
    println!("clinic and statistics pages: http://{addr}/clinic/login");
    tracing::info!(%addr, database = state.db.kind(), "serving");
    tokio::spawn(backend::upkeep::run(state.clone()));
    if backend::call::scheduler::start(&state).map_err(anyhow::Error::msg)?.is_some() {
        println!("automated calls: {} provider, rounds per centre (default 09:00 and 10:00 Japan time)", state.config.call.provider.name());
    }
    let app = backend::app(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app).with_graceful_shutdown(shutdown()).await.context("serving")?;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
