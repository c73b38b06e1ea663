//! The one copy of Mimamori's health-observation rules, shared by the phone core,
//! the server, the health-centre pages and the automated phone call, and the patient
//! API's wire types ([`wire`]) that the phone and the server exchange.
//!
//! Everything here is pure: no I/O, no clock, no allocation beyond small vectors.
//! Wording (Japanese first, English second) comes from the national system's leaflet,
//! registration guide and call script.

mod answer;
mod call;
pub mod call_script;
mod kind;
mod lang;
mod leaflet;
mod notice;
pub mod password;
pub mod text;
mod question;
pub mod rights;
mod temperature;
mod triage;
mod urgent;
pub mod wire;

pub use answer::{Answer, AnswerError, Answers};
pub use call::whom_to_call;
pub use kind::Kind;
pub use lang::{Lang, Text};
pub use leaflet::{APP_PATH, LeafletError, LeafletLink};
pub use notice::{NOTICE, NOTICE_TITLE};
pub use question::{QUESTIONS, Question, QuestionId};
pub use temperature::{Temperature, TemperatureError};
pub use triage::{Advice, AdviceLevel, Checklist, DailyReport, Reason, evaluate_checklist, triage};
pub use urgent::{CHECK_COUGH, CHECK_FEVER, URGENT_FOOTNOTE, URGENT_SYMPTOMS, UrgentGroup, UrgentSymptom};
