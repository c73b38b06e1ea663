//! Filling the today-board benchmark's database. The centres and their admins go
//! through the real code (`cli::create_centre`); cases, patient accounts and reports are
//! then written straight into the file with rusqlite, in large transactions without a
//! journal, because a million-row fill through the API would take hours. The rows are
//! those the server itself writes:
//!
//! - cases registered in order over the last `days` days (period start = the day of
//!   registration; 10 days for infected, 14 for close contacts and people awaiting a
//!   result), spread at random over the centres with exactly `big` in the first one;
//!   realistic names with readings, birth dates, mobile numbers, an e-mail for some, a
//!   7-digit input ID unique over the whole file, app observation for 90 % and the
//!   morning call for 10 %;
//! - cases whose period ended more than two days ago are closed (`active = 0`) with 80 %
//!   probability, and 0.5 % of those under observation were closed early;
//! - 93 % of app cases registered a patient account (one `patients` row), the others
//!   never report; from the first day (the second for 30 % of app users) each person
//!   reports on 96 % of days (60 % for one in seven; on the day itself, by 13:00, 90 % of
//!   that), 3 % of days twice, saved on the phone between 07:00 and 12:00 in Japan and
//!   received within seconds, or hours later for 7 % (phones offline); a report that
//!   would arrive after "now" is not on the server yet and is left out;
//! - temperature around a personal baseline, a fever for the first days of 45 % of
//!   infected people and sporadically for anyone; answers mostly "no", with coughs,
//!   fatigue and rarer urgent symptoms; the advice is `protocol::triage` of the report,
//!   as report sync computes it;
//! - every case's `last_*` columns hold its latest report by day, then time on the
//!   phone, as report sync keeps them.

use backend::cli::{CentreSetup, create_centre};
use backend::db::Db;
use backend::password::HashCost;
use backend::secret::Secret;
use chrono::{Duration, NaiveDate};
use protocol::{Answer, Answers, DailyReport, Kind, Temperature, triage};
use rand::rngs::SmallRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rusqlite::{Connection, params};
use std::collections::HashSet;
use std::path::Path;
use std::time::Instant;

/// Sizes of a fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sizes {
    pub cases: i64,
    pub big: i64,
    pub centres: i64,
    pub days: i64,
}

/// What a finished fill left in its file (table `bench_board_fill`).
#[derive(Debug, Clone)]
pub struct Fill {
    pub sizes: Sizes,
    pub reports: i64,
    pub fill_secs: f64,
    pub big_centre_id: i64,
    pub admin_email: String,
}

/// Password of every centre admin the fill creates.
pub const ADMIN_PASSWORD: &str = "Bench-Admin-2026";

const PLACES: [&str; 20] = [
    "千代田", "港", "新宿", "文京", "台東", "墨田", "江東", "品川", "目黒", "大田", "世田谷", "渋谷", "中野", "杉並", "豊島", "北", "荒川", "板橋",
    "練馬", "足立",
];

const FAMILY: [(&str, &str); 30] = [
    ("佐藤", "さとう"), ("鈴木", "すずき"), ("高橋", "たかはし"), ("田中", "たなか"), ("伊藤", "いとう"), ("渡辺", "わたなべ"),
    ("山本", "やまもと"), ("中村", "なかむら"), ("小林", "こばやし"), ("加藤", "かとう"), ("吉田", "よしだ"), ("山田", "やまだ"),
    ("佐々木", "ささき"), ("山口", "やまぐち"), ("松本", "まつもと"), ("井上", "いのうえ"), ("木村", "きむら"), ("林", "はやし"),
    ("斎藤", "さいとう"), ("清水", "しみず"), ("山崎", "やまざき"), ("森", "もり"), ("池田", "いけだ"), ("橋本", "はしもと"),
    ("阿部", "あべ"), ("石川", "いしかわ"), ("山下", "やました"), ("中島", "なかじま"), ("石井", "いしい"), ("小川", "おがわ"),
];

const GIVEN: [(&str, &str); 30] = [
    ("太郎", "たろう"), ("花子", "はなこ"), ("一郎", "いちろう"), ("美咲", "みさき"), ("健太", "けんた"), ("由美", "ゆみ"),
    ("翔太", "しょうた"), ("陽菜", "ひな"), ("大輔", "だいすけ"), ("愛", "あい"), ("蓮", "れん"), ("結衣", "ゆい"),
    ("誠", "まこと"), ("恵子", "けいこ"), ("浩", "ひろし"), ("幸子", "さちこ"), ("悠真", "ゆうま"), ("さくら", "さくら"),
    ("拓也", "たくや"), ("真由美", "まゆみ"), ("隆", "たかし"), ("明美", "あけみ"), ("湊", "みなと"), ("葵", "あおい"),
    ("清", "きよし"), ("和子", "かずこ"), ("直樹", "なおき"), ("裕子", "ゆうこ"), ("大翔", "ひろと"), ("芽依", "めい"),
];

/// Milliseconds since the epoch of `secs` seconds into day `d` in Japan.
pub fn jst_ms(d: NaiveDate, secs: i64) -> i64 {
    d.and_hms_opt(0, 0, 0).unwrap().and_utc().timestamp_millis() - 9 * 3_600_000 + secs * 1000
}

/// The fill recorded in the file at `path`, if it holds a finished one.
pub fn read(path: &Path) -> Option<Fill> {
    let c = Connection::open(path).ok()?;
    c.query_row("SELECT cases, big, centres, days, reports, fill_ms, big_centre_id, admin_email FROM bench_board_fill", [], |r| {
        Ok(Fill {
            sizes: Sizes { cases: r.get(0)?, big: r.get(1)?, centres: r.get(2)?, days: r.get(3)? },
            reports: r.get(4)?,
            fill_secs: r.get::<_, i64>(5)? as f64 / 1000.0,
            big_centre_id: r.get(6)?,
            admin_email: r.get(7)?,
        })
    })
    .ok()
}

/// Fills a new database file at `path` for `today`, with "now" at `now_ms`.
pub async fn fill(path: &Path, sizes: Sizes, today: NaiveDate, now_ms: i64) -> Fill {
    let t0 = Instant::now();
    let db = Db::open(&backend::DatabaseUrl::Sqlite(path.to_owned())).await.expect("open database");
    let mut centre_ids = Vec::new();
    let mut admin_email = String::new();
    for c in 0..sizes.centres {
        let email = format!("admin{c}@hokenjo{c}.example.jp");
        let place = PLACES[c as usize % PLACES.len()];
        let setup = CentreSetup {
            name: if c < PLACES.len() as i64 { format!("{place}保健所") } else { format!("{place}第{}保健所", c / PLACES.len() as i64 + 1) },
            emergency_number: format!("03-{:04}-{:04}", 3000 + c, 1000 + c),
            jurisdiction_code: format!("13{:04}", 100 + c),
            admin_email: email.clone(),
            admin_name: format!("管理者{c}"),
            admin_password: Secret::new(ADMIN_PASSWORD.into()),
        };
        let (centre, _) = create_centre(&db, setup, HashCost::TEST_ONLY).await.expect("create centre");
        if c == 0 {
            admin_email = email;
        }
        centre_ids.push(centre.id);
    }
    let big_centre_id = centre_ids[0];
    // One patient password hash for everyone: hashing a million passwords proves nothing.
    let password_hash = backend::password::hash("Patient-Pass-2026", HashCost::TEST_ONLY).expect("hash");
    drop(db);
    // The store's connections close with it; its checkpoint thread within 200 ms.
    tokio::time::sleep(std::time::Duration::from_millis(600)).await;
    let path = path.to_owned();
    let reports = tokio::task::spawn_blocking(move || bulk(&path, sizes, &centre_ids, &password_hash, today, now_ms, t0)).await.expect("fill task");
    Fill { sizes, reports, fill_secs: t0.elapsed().as_secs_f64(), big_centre_id, admin_email }
}

fn bulk(path: &Path, sizes: Sizes, centre_ids: &[i64], password_hash: &str, today: NaiveDate, now_ms: i64, t0: Instant) -> i64 {
    let mut c = Connection::open(path).expect("open for the fill");
    c.query_row("PRAGMA journal_mode=OFF", [], |_| Ok(())).expect("journal off");
    c.execute_batch("PRAGMA synchronous=OFF; PRAGMA locking_mode=EXCLUSIVE; PRAGMA cache_size=-4000000; PRAGMA foreign_keys=OFF;").expect("pragmas");
    let mut rng = SmallRng::seed_from_u64(20_300_614);
    let n = sizes.cases as usize;
    // Which centre each case (in registration order) belongs to: exactly `big` in the first.
    let mut owner: Vec<u32> = Vec::with_capacity(n);
    owner.extend(std::iter::repeat_n(0, sizes.big as usize));
    let others = (centre_ids.len() - 1).max(1) as u32;
    owner.extend((0..n - sizes.big as usize).map(|k| 1 + k as u32 % others));
    owner.shuffle(&mut rng);
    let mut input_ids = HashSet::with_capacity(n);
    let first_day = today - Duration::days(sizes.days - 1);
    let mut maker = Gen { rng, today, now_ms, reports: 0 };
    const CHUNK: usize = 50_000;
    for chunk_start in (0..n).step_by(CHUNK) {
        let tx = c.transaction().expect("transaction");
        {
            let mut ins_case = tx
                .prepare(
                    "INSERT INTO cases (id, centre_id, name, name_reading, date_of_birth, phone, email, kind, observation, period_start, \
                     period_end, input_id, active, created_at, last_local_date, last_recorded_at, last_received_at, \
                     last_temperature_tenths, last_advice) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)",
                )
                .expect("prepare");
            let mut ins_report = tx
                .prepare(
                    "INSERT INTO reports (id, case_id, local_date, kind, temperature_tenths, answers, recorded_at, advice, received_at) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                )
                .expect("prepare");
            let mut ins_patient =
                tx.prepare("INSERT INTO patients (email, password_hash, case_id, created_at) VALUES (?1, ?2, ?3, ?4)").expect("prepare");
            for i in chunk_start..(chunk_start + CHUNK).min(n) {
                let id = i as i64 + 1;
                let start = first_day + Duration::days(i as i64 * sizes.days / n as i64);
                let case = maker.case(id, start, &mut input_ids);
                let created_ms = jst_ms(start, maker.rng.random_range(8 * 3600..17 * 3600)).min(now_ms - 60_000);
                let last = maker.reports(&case, &mut ins_report, &mut ins_patient, password_hash, created_ms);
                let (ld, lrec, lrecv, lt, la) = match last {
                    Some(l) => (Some(l.date.to_string()), Some(l.recorded), Some(l.received), Some(l.tenths), Some(l.advice)),
                    None => (None, None, None, None, None),
                };
                ins_case
                    .execute(params![
                        id,
                        centre_ids[owner[i] as usize],
                        case.name,
                        case.reading,
                        case.dob.to_string(),
                        case.phone,
                        case.email,
                        case.kind.as_str(),
                        if case.app { "app" } else { "phone" },
                        case.start.to_string(),
                        case.end.to_string(),
                        case.input_id,
                        case.active,
                        created_ms,
                        ld,
                        lrec,
                        lrecv,
                        lt,
                        la
                    ])
                    .expect("insert case");
            }
        }
        tx.commit().expect("commit");
        let done = (chunk_start + CHUNK).min(n);
        eprintln!("  filled {done} / {n} cases, {} reports ({:.0} s)", maker.reports, t0.elapsed().as_secs_f64());
    }
    c.query_row("PRAGMA journal_mode=WAL", [], |_| Ok(())).expect("back to WAL");
    maker.reports
}

/// Writes the record of a finished fill into its file.
pub fn record(path: &Path, f: &Fill) {
    let c = Connection::open(path).expect("open");
    c.execute_batch(
        "CREATE TABLE bench_board_fill (cases INTEGER, big INTEGER, centres INTEGER, days INTEGER, reports INTEGER, \
         fill_ms INTEGER, big_centre_id INTEGER, admin_email TEXT)",
    )
    .expect("fill table");
    c.execute(
        "INSERT INTO bench_board_fill VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![f.sizes.cases, f.sizes.big, f.sizes.centres, f.sizes.days, f.reports, (f.fill_secs * 1000.0) as i64, f.big_centre_id, f.admin_email],
    )
    .expect("fill row");
}

struct Case {
    id: i64,
    name: String,
    reading: String,
    dob: NaiveDate,
    phone: String,
    email: Option<String>,
    kind: Kind,
    app: bool,
    start: NaiveDate,
    end: NaiveDate,
    input_id: String,
    active: bool,
}

struct Last {
    date: NaiveDate,
    recorded: i64,
    received: i64,
    tenths: u16,
    advice: &'static str,
}

struct Gen {
    rng: SmallRng,
    today: NaiveDate,
    now_ms: i64,
    reports: i64,
}

impl Gen {
    fn case(&mut self, id: i64, start: NaiveDate, input_ids: &mut HashSet<u32>) -> Case {
        let r = &mut self.rng;
        let (family, family_reading) = FAMILY[r.random_range(0..FAMILY.len())];
        let (given, given_reading) = GIVEN[r.random_range(0..GIVEN.len())];
        let kind = match r.random_range(0..100) {
            0..55 => Kind::Infected,
            55..90 => Kind::CloseContact,
            _ => Kind::AwaitingResult,
        };
        let end = start + Duration::days(if kind == Kind::Infected { 9 } else { 13 });
        let active = if end < self.today - Duration::days(2) { r.random_bool(0.2) } else { !r.random_bool(0.005) };
        let input_id = loop {
            let v = r.random_range(0..10_000_000u32);
            if input_ids.insert(v) {
                break format!("{v:07}");
            }
        };
        Case {
            id,
            name: format!("{family} {given}"),
            reading: format!("{family_reading} {given_reading}"),
            dob: NaiveDate::from_ymd_opt(1935, 1, 1).unwrap() + Duration::days(r.random_range(0..32_000)),
            phone: format!("{}{:08}", ["090", "080", "070"][r.random_range(0..3)], r.random_range(0..100_000_000u32)),
            email: r.random_bool(0.4).then(|| format!("case{id}@example.jp")),
            kind,
            app: !r.random_bool(0.1),
            start,
            end,
            input_id,
            active,
        }
    }

    /// Inserts the case's patient account and reports; returns its latest report.
    fn reports(&mut self, case: &Case, ins: &mut rusqlite::Statement<'_>, ins_patient: &mut rusqlite::Statement<'_>, hash: &str, created_ms: i64) -> Option<Last> {
        let mut first = case.start;
        if case.app {
            if !self.rng.random_bool(0.93) {
                return None;
            }
            let registered_ms = created_ms + self.rng.random_range(600_000..6 * 3_600_000);
            if registered_ms > self.now_ms {
                return None;
            }
            ins_patient.execute(params![format!("patient{}@example.jp", case.id), hash, case.id, registered_ms]).expect("insert patient");
            if self.rng.random_bool(0.3) {
                first += Duration::days(1);
            }
        }
        let reliability = if self.rng.random_bool(6.0 / 7.0) { 0.96 } else { 0.6 };
        let fever_until = (case.kind == Kind::Infected && self.rng.random_bool(0.45)).then(|| case.start + Duration::days(self.rng.random_range(0..4)));
        let baseline: i64 = self.rng.random_range(358..=368);
        let alone = self.rng.random_bool(0.05);
        let mut last: Option<Last> = None;
        let mut d = first;
        while d <= case.end.min(self.today) {
            let p = if d == self.today { reliability * 0.9 } else { reliability };
            if self.rng.random_bool(p) {
                let mut recorded = jst_ms(d, self.rng.random_range(7 * 3600..12 * 3600));
                for k in 0..if self.rng.random_bool(0.03) { 2 } else { 1 } {
                    if k == 1 {
                        recorded += self.rng.random_range(3600..5 * 3600) * 1000;
                    }
                    let received = if self.rng.random_bool(0.93) { recorded + self.rng.random_range(300..5000) } else { recorded + self.rng.random_range(3_600_000..20 * 3_600_000) };
                    if received > self.now_ms {
                        break;
                    }
                    let fever = fever_until.is_some_and(|f| d <= f);
                    let tenths = if fever {
                        self.rng.random_range(375..=392)
                    } else if self.rng.random_bool(0.02) {
                        self.rng.random_range(375..=380)
                    } else {
                        baseline + self.rng.random_range(-3..=3)
                    };
                    let temperature = Temperature::from_tenths(tenths).expect("temperature in range");
                    let answers = self.answers(case, d, alone);
                    let advice = triage(&DailyReport { kind: case.kind, temperature, answers }).level.as_str();
                    let id = uuid::Builder::from_random_bytes(self.rng.random()).into_uuid();
                    ins.execute(params![
                        id.as_bytes(),
                        case.id,
                        d.to_string(),
                        case.kind.as_str(),
                        temperature.tenths(),
                        answers.to_digits(),
                        recorded,
                        advice,
                        received
                    ])
                    .expect("insert report");
                    self.reports += 1;
                    if last.as_ref().is_none_or(|l| (l.date, l.recorded) < (d, recorded)) {
                        last = Some(Last { date: d, recorded, received, tenths: temperature.tenths(), advice });
                    }
                }
            }
            d += Duration::days(1);
        }
        last
    }

    fn answers(&mut self, case: &Case, d: NaiveDate, alone: bool) -> Answers {
        let r = &mut self.rng;
        let early = d < case.start + Duration::days(5);
        let infected = case.kind == Kind::Infected;
        let cough = match case.kind {
            Kind::Infected if early => 0.3,
            Kind::Infected => 0.08,
            Kind::CloseContact => 0.02,
            Kind::AwaitingResult => 0.1,
        };
        let face = yes(r, 0.003);
        let cough = yes(r, cough);
        let breath = if r.random_bool(0.002) { Answer::Unknown } else { yes(r, if infected { 0.008 } else { 0.002 }) };
        let fatigue = yes(r, if infected { 0.15 } else { 0.03 });
        let nausea = yes(r, 0.02);
        let diarrhoea = yes(r, 0.02);
        let consciousness = if alone { Answer::Unknown } else { yes(r, 0.001) };
        let eating = yes(r, 0.03);
        let urination = yes(r, 0.005);
        Answers::new([face, cough, breath, fatigue, nausea, diarrhoea, consciousness, eating, urination])
    }
}

fn yes(r: &mut SmallRng, p: f64) -> Answer {
    if r.random_bool(p) { Answer::Yes } else { Answer::No }
}
