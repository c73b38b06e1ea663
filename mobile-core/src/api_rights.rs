//! The exported API of the person's rights over their data (開示・訂正・利用停止):
//! filing a request, the list of one's requests with their status, and the
//! disclosure of what the health centre holds. Each needs the network and a session;
//! nothing is kept on the phone. A refused field is `CoreError::Invalid` with field
//! `kind`, `item`, `value`, `report_id` or `note`; the same request while one waits is
//! `CoreError::Server` with code `request_open`.

use crate::api::MimamoriCore;
use crate::error::{CoreError, Error};
use crate::sync::rights;
use crate::types::Language;
use crate::types_rights::{
    CorrectionField, DataRequestInput, DataRequestKind, DataRequestStatus, DataRequestView, DisclosedCorrection, DisclosedReport,
    DisclosedSection, DisclosureView,
};
use protocol::{Lang, Temperature};
use protocol::rights::{CorrectionItem, FileRequest, RequestKind, RequestStatus, RequestView};
use protocol::Text;

const CHOOSE_ITEM: Text = Text { ja: "訂正する項目を選んでください。", en: "Choose the item to correct." };
const ONLY_CORRECTION: Text = Text { ja: "項目と内容は訂正の請求にだけ指定できます。", en: "An item and a value go with a correction only." };

fn label(lang: Lang, (ja, en): (&'static str, &'static str)) -> String {
    if lang == Lang::En { en } else { ja }.to_owned()
}

fn kind_in(k: DataRequestKind) -> RequestKind {
    match k {
        DataRequestKind::Disclosure => RequestKind::Disclosure,
        DataRequestKind::Correction => RequestKind::Correction,
        DataRequestKind::Suspension => RequestKind::Suspension,
    }
}

fn kind_out(k: RequestKind) -> DataRequestKind {
    match k {
        RequestKind::Disclosure => DataRequestKind::Disclosure,
        RequestKind::Correction => DataRequestKind::Correction,
        RequestKind::Suspension => DataRequestKind::Suspension,
    }
}

fn field_in(f: CorrectionField) -> CorrectionItem {
    match f {
        CorrectionField::Name => CorrectionItem::Name,
        CorrectionField::NameReading => CorrectionItem::NameReading,
        CorrectionField::DateOfBirth => CorrectionItem::DateOfBirth,
        CorrectionField::Phone => CorrectionItem::Phone,
        CorrectionField::Email => CorrectionItem::Email,
        CorrectionField::Temperature => CorrectionItem::Temperature,
    }
}

fn field_out(i: CorrectionItem) -> CorrectionField {
    match i {
        CorrectionItem::Name => CorrectionField::Name,
        CorrectionItem::NameReading => CorrectionField::NameReading,
        CorrectionItem::DateOfBirth => CorrectionField::DateOfBirth,
        CorrectionItem::Phone => CorrectionField::Phone,
        CorrectionItem::Email => CorrectionField::Email,
        CorrectionItem::Temperature => CorrectionField::Temperature,
    }
}

fn status_out(s: RequestStatus) -> DataRequestStatus {
    match s {
        RequestStatus::Open => DataRequestStatus::Open,
        RequestStatus::Disclosed => DataRequestStatus::Disclosed,
        RequestStatus::Corrected => DataRequestStatus::Corrected,
        RequestStatus::Refused => DataRequestStatus::Refused,
        RequestStatus::Suspended => DataRequestStatus::Suspended,
    }
}

fn view(r: RequestView, lang: Lang) -> DataRequestView {
    DataRequestView {
        id: r.id,
        kind: kind_out(r.kind),
        kind_label: label(lang, r.kind.label()),
        field: r.item.map(field_out),
        field_label: r.item.map(|i| label(lang, i.label())),
        report_id: r.report_id,
        value: r.value,
        status: status_out(r.status),
        status_label: label(lang, r.status.label()),
        reason: r.reason,
        corrected_value: r.corrected_value,
        filed_at: r.filed_at,
        answered_at: r.answered_at,
    }
}

/// The request body; the item rules checked here first, so the common mistakes need
/// no network.
fn request(input: DataRequestInput, lang: Lang) -> Result<FileRequest, Error> {
    let kind = kind_in(input.kind);
    if kind == RequestKind::Correction && input.field.is_none() {
        return Err(Error::invalid("item", CHOOSE_ITEM.get(lang)));
    }
    if kind != RequestKind::Correction && (input.field.is_some() || input.value.is_some() || input.report_id.is_some()) {
        return Err(Error::invalid("item", ONLY_CORRECTION.get(lang)));
    }
    Ok(FileRequest { kind, item: input.field.map(field_in), report_id: input.report_id, value: input.value, note: input.note })
}

#[uniffi::export]
impl MimamoriCore {
    /// Files a request about the person's data with their health centre: disclosure,
    /// correction (the item, what it should be, and for a temperature the report's id)
    /// or suspension of use. Returns the request with its status.
    pub fn file_data_request(&self, input: DataRequestInput, lang: Language) -> Result<DataRequestView, CoreError> {
        let lang: Lang = lang.into();
        let body = request(input, lang)?;
        let filed = rights::file(self.server(lang)?, &*self.tokens, &body, lang)?;
        Ok(view(filed, lang))
    }

    /// The person's requests with their status, newest first.
    pub fn data_requests(&self, lang: Language) -> Result<Vec<DataRequestView>, CoreError> {
        let lang: Lang = lang.into();
        let list = rights::list(self.server(lang)?, &*self.tokens, lang)?;
        let corrected: Vec<(String, i64)> = list
            .requests
            .iter()
            .rev()
            .filter(|r| r.item == Some(CorrectionItem::Temperature) && r.status == RequestStatus::Corrected)
            .filter_map(|r| Some((r.report_id.clone()?, i64::from(Temperature::parse_decimal(r.corrected_value.as_deref()?).ok()?.tenths()))))
            .collect();
        remember_corrections(self, &corrected)?;
        Ok(list.requests.into_iter().map(|r| view(r, lang)).collect())
    }

    /// Everything the health centre holds about the person: profile, reports with any
    /// corrected temperature beside, profile corrections, requests. Recorded by the
    /// server as a disclosure given.
    pub fn data_disclosure(&self, lang: Language) -> Result<DisclosureView, CoreError> {
        let lang: Lang = lang.into();
        let d = rights::disclose(self.server(lang)?, &*self.tokens, lang)?;
        let temperatures: Vec<(String, i64)> = d
            .corrections
            .iter()
            .filter(|c| c.item == CorrectionItem::Temperature)
            .filter_map(|c| Some((c.report_id.clone()?, i64::from(Temperature::parse_decimal(&c.corrected).ok()?.tenths()))))
            .collect();
        remember_corrections(self, &temperatures)?;
        let corrected = |id: &str| d.corrections.iter().rev().find(|c| c.report_id.as_deref() == Some(id)).map(|c| c.corrected.clone());
        let reports = d
            .reports
            .iter()
            .map(|r| DisclosedReport {
                report_id: r.id.clone(),
                local_date: r.local_date.clone(),
                temperature: format!("{}.{}", r.temperature_tenths / 10, r.temperature_tenths % 10),
                corrected_temperature: corrected(&r.id),
                answers: r.answers.clone(),
                advice: r.advice.clone(),
                received_at: r.received_at.clone(),
            })
            .collect();
        let corrections = d
            .corrections
            .iter()
            .filter(|c| c.report_id.is_none())
            .map(|c| DisclosedCorrection { field_label: label(lang, c.item.label()), original: c.original.clone(), corrected: c.corrected.clone(), at: c.at.clone() })
            .collect();
        let p = d.profile;
        Ok(DisclosureView {
            name: p.name,
            name_reading: p.name_reading,
            date_of_birth: p.date_of_birth,
            phone: p.phone,
            email: p.email,
            period_start: p.period_start,
            period_end: p.period_end,
            centre_name: p.centre_name,
            suspended: p.suspended,
            reports,
            corrections,
            requests: d.requests.into_iter().map(|r| view(r, lang)).collect(),
            sections: d
                .held
                .into_iter()
                .map(|s| DisclosedSection { id: s.id, title: s.title, columns: s.columns, rows: s.rows })
                .collect(),
        })
    }
}

/// The history and today show these corrected temperatures from now on (given oldest
/// first, so the latest one stays).
fn remember_corrections(core: &MimamoriCore, corrections: &[(String, i64)]) -> Result<(), CoreError> {
    if corrections.is_empty() {
        return Ok(());
    }
    Ok(core.store.write(|tx| crate::storage::reports::record_corrections(tx, corrections, &crate::sync::now_utc()))?)
}
