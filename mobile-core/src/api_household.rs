//! The exported household API (代理入力): the people this phone reports for and each
//! one's upload queue, adding a
//! household member by their attributes and input ID (checked by the server against
//! what their health centre registered), and unlinking one. Each converts, calls
//! `sync::household`, and maps errors to [`CoreError`]. Adding and removing need the
//! network and a session; the list works offline.

use crate::api::MimamoriCore;
use crate::error::CoreError;
use crate::model::OWNER;
use crate::storage::{account, household, reports};
use crate::sync::account::Attributes;
use crate::sync::household as members;
use crate::types::{Language, PersonSyncStatus, PersonView};
use protocol::{Lang, Text};

const OWNER_LABEL: Text = Text { ja: "本人", en: "You" };

fn member_view(m: household::Member) -> PersonView {
    PersonView {
        person_id: m.person_id,
        name: m.name,
        kind: Some(m.kind.into()),
        linked: m.linked,
        centre_name: Some(m.centre_name),
        emergency_number: Some(m.emergency_number),
    }
}

#[uniffi::export]
impl MimamoriCore {
    /// The people this phone reports for: the owner first (`self`), then household
    /// members, linked ones first. Works offline.
    pub fn people(&self, lang: Language) -> Result<Vec<PersonView>, CoreError> {
        let lang: Lang = lang.into();
        let (profile, linked) = self.store.read(|c| Ok((account::profile(c)?, household::all(c)?)))?;
        let owner = PersonView {
            person_id: OWNER.to_owned(),
            name: OWNER_LABEL.get(lang).to_owned(),
            kind: profile.as_ref().map(|p| p.kind.into()),
            linked: true,
            centre_name: profile.as_ref().map(|p| p.centre_name.clone()),
            emergency_number: profile.map(|p| p.emergency_number),
        };
        Ok(std::iter::once(owner).chain(linked.into_iter().map(member_view)).collect())
    }

    /// One person's upload queue: how many of their reports wait to be sent and how
    /// many are kept with a reason. Works offline.
    pub fn person_sync_status(&self, person_id: String, lang: Language) -> Result<PersonSyncStatus, CoreError> {
        let person_id = crate::model::validate_person_id(&person_id, lang.into())?;
        let (pending, failed) = self.store.read(|c| reports::person_queue(c, &person_id))?;
        Ok(PersonSyncStatus { pending, failed })
    }

    /// Adds a household member: their name, date of birth (`YYYY-MM-DD`), phone number
    /// and the smartphone input ID from their own leaflet. The server links their case
    /// to this account when everything matches what their health centre registered (a
    /// mismatch gives `CoreError::Server` with code `registration_mismatch`). Reports
    /// saved with the returned `person_id` then go to the member's own case; this
    /// member's reports kept because they were not linked (here or on the server) are
    /// queued again.
    pub fn add_household_member(
        &self,
        name: String,
        date_of_birth: String,
        phone: String,
        input_id: String,
        lang: Language,
    ) -> Result<PersonView, CoreError> {
        let lang: Lang = lang.into();
        let attributes = Attributes { name, date_of_birth, phone, input_id };
        let member = members::add(self.server(lang)?, &self.store, &*self.tokens, &attributes, lang)?;
        Ok(member_view(member))
    }

    /// Unlinks household member `person_id`: new reports for them stay on the phone;
    /// every report made before stays, here and at the health centre.
    pub fn remove_household_member(&self, person_id: String, lang: Language) -> Result<(), CoreError> {
        let lang: Lang = lang.into();
        Ok(members::remove(self.server(lang)?, &self.store, &*self.tokens, &person_id, lang)?)
    }
}
