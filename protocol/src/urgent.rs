//! The thirteen urgent symptoms (緊急性の高い症状) of the leaflet, in their three groups.
//! ※ marks what a family member judges by looking at the patient.

use crate::lang::{Lang, Text};
use serde::{Deserialize, Serialize};

/// A group of urgent symptoms as the leaflet lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UrgentGroup {
    /// 表情・外見 — face and appearance.
    Appearance,
    /// 息苦しさ等 — breathing.
    Breathing,
    /// 意識障害等 — consciousness.
    Consciousness,
}

impl UrgentGroup {
    /// The groups in leaflet order.
    pub const ALL: [UrgentGroup; 3] =
        [UrgentGroup::Appearance, UrgentGroup::Breathing, UrgentGroup::Consciousness];

    /// Stable string id.
    pub fn as_str(self) -> &'static str {
        match self {
            UrgentGroup::Appearance => "appearance",
            UrgentGroup::Breathing => "breathing",
            UrgentGroup::Consciousness => "consciousness",
        }
    }

    /// The group's heading.
    pub fn title(self, lang: Lang) -> &'static str {
        let t = match self {
            UrgentGroup::Appearance => Text { ja: "表情・外見", en: "Face and appearance" },
            UrgentGroup::Breathing => Text { ja: "息苦しさ等", en: "Breathing" },
            UrgentGroup::Consciousness => Text { ja: "意識障害等", en: "Consciousness" },
        };
        t.get(lang)
    }

    /// The symptoms of this group, in leaflet order.
    pub fn symptoms(self) -> impl Iterator<Item = UrgentSymptom> {
        URGENT_SYMPTOMS.iter().map(|s| s.id).filter(move |s| s.group() == self)
    }
}

/// One urgent symptom.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UrgentSymptom {
    /// 顔色が明らかに悪い ※
    FaceClearlyPale,
    /// 唇が紫色になっている
    PurpleLips,
    /// いつもと違う、様子がおかしい ※
    NotThemselves,
    /// 息が荒くなった（呼吸数が多くなった）
    RapidBreathing,
    /// 急に息苦しくなった
    SuddenBreathlessness,
    /// 胸の痛みがある
    ChestPain,
    /// 肩で息をしている
    ShoulderBreathing,
    /// 日常生活の中で少し動くと息があがる
    BreathlessOnLightActivity,
    /// 横になれない・座らないと息ができない
    CannotLieDown,
    /// ゼーゼーしている
    Wheezing,
    /// ぼんやりしている（反応が弱い） ※
    Dazed,
    /// もうろうとしている（返事がない） ※
    Unresponsive,
    /// 脈がとぶ、脈のリズムが乱れる感じがする
    IrregularPulse,
}

/// The leaflet's description of one urgent symptom.
#[derive(Debug)]
pub struct UrgentSymptomInfo {
    /// Identifier.
    pub id: UrgentSymptom,
    /// Stable string id.
    pub key: &'static str,
    /// Group it belongs to.
    pub group: UrgentGroup,
    /// ※: judged by a family member looking at the patient.
    pub judged_by_family: bool,
    /// The leaflet's wording.
    pub text: Text,
}

const fn item(
    id: UrgentSymptom,
    key: &'static str,
    group: UrgentGroup,
    judged_by_family: bool,
    ja: &'static str,
    en: &'static str,
) -> UrgentSymptomInfo {
    UrgentSymptomInfo { id, key, group, judged_by_family, text: Text { ja, en } }
}

use UrgentGroup::{Appearance as A, Breathing as B, Consciousness as C};
use UrgentSymptom as S;

/// The thirteen urgent symptoms in leaflet order.
pub static URGENT_SYMPTOMS: [UrgentSymptomInfo; 13] = [
    item(S::FaceClearlyPale, "face_clearly_pale", A, true, "顔色が明らかに悪い", "Face colour is clearly bad"),
    item(S::PurpleLips, "purple_lips", A, false, "唇が紫色になっている", "Lips have turned purple"),
    item(S::NotThemselves, "not_themselves", A, true, "いつもと違う、様子がおかしい", "Different from usual, something is wrong"),
    item(S::RapidBreathing, "rapid_breathing", B, false, "息が荒くなった（呼吸数が多くなった）", "Breathing has become rough (faster breathing)"),
    item(S::SuddenBreathlessness, "sudden_breathlessness", B, false, "急に息苦しくなった", "Suddenly became breathless"),
    item(S::ChestPain, "chest_pain", B, false, "胸の痛みがある", "Chest pain"),
    item(S::ShoulderBreathing, "shoulder_breathing", B, false, "肩で息をしている", "Breathing with the shoulders"),
    item(S::BreathlessOnLightActivity, "breathless_on_light_activity", B, false, "日常生活の中で少し動くと息があがる", "Short of breath after a little movement in daily life"),
    item(S::CannotLieDown, "cannot_lie_down", B, false, "横になれない・座らないと息ができない", "Cannot lie down; can only breathe sitting up"),
    item(S::Wheezing, "wheezing", B, false, "ゼーゼーしている", "Wheezing"),
    item(S::Dazed, "dazed", C, true, "ぼんやりしている（反応が弱い）", "Dazed (weak response)"),
    item(S::Unresponsive, "unresponsive", C, true, "もうろうとしている（返事がない）", "Drowsy, no answer"),
    item(S::IrregularPulse, "irregular_pulse", C, false, "脈がとぶ、脈のリズムが乱れる感じがする", "Pulse skips or its rhythm feels irregular"),
];

/// The family check's tick for a cough (the close-contact rule).
pub const CHECK_COUGH: Text = Text { ja: "咳がある", en: "Coughing" };

/// The family check's tick for a fever (the close-contact rule; fever is 37.5 °C or more).
pub const CHECK_FEVER: Text = Text { ja: "37.5℃以上の発熱がある", en: "Fever of 37.5 °C or more" };

/// The leaflet's footnote to the ※ mark.
pub const URGENT_FOOTNOTE: Text = Text {
    ja: "※はご家族がご覧になって判断した場合です。",
    en: "※ marks what a family member judges by looking at the patient.",
};

impl UrgentSymptom {
    /// The leaflet's description.
    pub fn info(self) -> &'static UrgentSymptomInfo {
        &URGENT_SYMPTOMS[self as usize]
    }

    /// Stable string id.
    pub fn as_str(self) -> &'static str {
        self.info().key
    }

    /// The symptom with a stable string id.
    pub fn parse(key: &str) -> Option<UrgentSymptom> {
        URGENT_SYMPTOMS.iter().find(|s| s.key == key).map(|s| s.id)
    }

    /// Its group.
    pub fn group(self) -> UrgentGroup {
        self.info().group
    }

    /// The leaflet's wording in `lang`.
    pub fn text(self, lang: Lang) -> &'static str {
        self.info().text.get(lang)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thirteen_symptoms_in_three_groups_as_on_the_leaflet() {
        assert_eq!(URGENT_SYMPTOMS.len(), 13);
        for (i, s) in URGENT_SYMPTOMS.iter().enumerate() {
            assert_eq!(s.id as usize, i, "table order matches the enum");
            assert_eq!(UrgentSymptom::parse(s.key), Some(s.id));
        }
        let counts: Vec<usize> = UrgentGroup::ALL.iter().map(|g| g.symptoms().count()).collect();
        assert_eq!(counts, vec![3, 7, 3]);
        let family: Vec<&str> =
            URGENT_SYMPTOMS.iter().filter(|s| s.judged_by_family).map(|s| s.key).collect();
        assert_eq!(family, vec!["face_clearly_pale", "not_themselves", "dazed", "unresponsive"]);
        assert_eq!(UrgentGroup::Breathing.title(Lang::Ja), "息苦しさ等");
        assert_eq!(UrgentSymptom::PurpleLips.text(Lang::Ja), "唇が紫色になっている");
        assert_eq!(UrgentSymptom::parse("cough"), None);
    }
}
