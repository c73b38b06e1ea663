//! Benchmark of the phone store, printed as figures: save-report latency p50/p99 on a
//! file database with durable commits (WAL, `synchronous=FULL`), and the p50 of reading
//! a 30-day history. Run with `cargo bench -p mobile-core --bench store`.

#![allow(clippy::expect_used)] // a benchmark stops on the first failure

use mobile_core::{AnswerChoice, Language, MimamoriCore, PersonKind, ReportInput};
use std::time::{Duration, Instant};

const SAVES: usize = 3000;
const HISTORY_READS: usize = 1000;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let dir = tempfile::tempdir().expect("tempdir");
    let core = MimamoriCore::open(dir.path().join("bench.db").to_string_lossy().into_owned()).expect("open");
    let today = chrono::Local::now().date_naive();
    let mut answers = vec![Some(AnswerChoice::No); 9];
    let mut save_times = Vec::with_capacity(SAVES);
    let started = Instant::now();
    for i in 0..SAVES {
        answers[i % 9] = Some(if i % 7 == 0 { AnswerChoice::Yes } else { AnswerChoice::No });
        let input = ReportInput {
            person_id: "self".into(),
            local_date: Some((today - chrono::Days::new((i % 30) as u64)).to_string()),
            kind: PersonKind::Infected,
            temperature: format!("{}.{}", 36 + i % 3, i % 10),
            answers: answers.clone(),
        };
        let t = Instant::now();
        core.save_report(input, Language::Ja).expect("save");
        save_times.push(t.elapsed());
    }
    let total = started.elapsed();
    save_times.sort_unstable();

    let mut history_times = Vec::with_capacity(HISTORY_READS);
    for _ in 0..HISTORY_READS {
        let t = Instant::now();
        let days = core.history("self".into(), 30, Language::Ja).expect("history");
        history_times.push(t.elapsed());
        assert_eq!(days.len(), 30);
        assert!(days.iter().all(|d| d.report.is_some()));
    }
    history_times.sort_unstable();

    println!("save_report (file database, WAL, synchronous=FULL, {SAVES} saves):");
    println!("  p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms, {:.0} saves/s",
        ms(percentile(&save_times, 0.50)), ms(percentile(&save_times, 0.99)),
        ms(percentile(&save_times, 1.0)), SAVES as f64 / total.as_secs_f64());
    println!("history (30 days, {} reports stored, {HISTORY_READS} reads):", SAVES);
    println!("  p50 {:.3} ms, p99 {:.3} ms",
        ms(percentile(&history_times, 0.50)), ms(percentile(&history_times, 0.99)));
}
