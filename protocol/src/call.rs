//! Whom to call: the sentence every urgent advice ends with, on the phone, on the
//! patient pages and in the phone call. With the health centre's emergency number it
//! names the centre and the number; without one (a family opening the check before the
//! leaflet's number was entered) it says where the number is — the leaflet, and the
//! centre's name when known — and that 119 is called in a life-threatening emergency.
//! An urgent advice never ends without telling the person whom to call.

use crate::lang::Lang;

/// The sentence that tells the person whom to call. `centre` and `number` are what the
/// phone or page knows of the health centre (empty strings count as unknown).
pub fn whom_to_call(lang: Lang, centre: Option<&str>, number: Option<&str>) -> String {
    let centre = centre.map(str::trim).filter(|c| !c.is_empty());
    let number = number.map(str::trim).filter(|n| !n.is_empty());
    match (lang, centre, number) {
        (Lang::Ja, Some(c), Some(n)) => format!("{c}の緊急連絡先（{n}）にお電話ください。"),
        (Lang::Ja, None, Some(n)) => format!("保健所の緊急連絡先（{n}）にお電話ください。"),
        (Lang::Ja, c, None) => format!(
            "{}の緊急連絡先は、保健所から渡されたリーフレット（お知らせ）に書かれています。命に関わる緊急の場合は、ためらわず119番に電話してください。",
            c.unwrap_or("保健所")
        ),
        (Lang::En, Some(c), Some(n)) => format!("Call the emergency number of {c}: {n}."),
        (Lang::En, None, Some(n)) => format!("Call your health centre's emergency number: {n}."),
        (Lang::En, c, None) => format!(
            "The emergency number of {} is on the leaflet the health centre gave you. In a life-threatening emergency, call 119 at once.",
            c.unwrap_or("your health centre")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn with_a_number_it_names_the_centre_and_the_number() {
        assert_eq!(whom_to_call(Lang::Ja, Some("みなと保健所"), Some("03-1234-5678")), "みなと保健所の緊急連絡先（03-1234-5678）にお電話ください。");
        assert_eq!(whom_to_call(Lang::En, None, Some("03-1234-5678")), "Call your health centre's emergency number: 03-1234-5678.");
    }

    #[test]
    fn without_a_number_it_says_where_the_number_is_and_that_119_is_called() {
        for (lang, centre) in [(Lang::Ja, None), (Lang::Ja, Some("さくら保健所")), (Lang::En, None), (Lang::En, Some(" ")), (Lang::En, Some("Sakura"))] {
            let s = whom_to_call(lang, centre, Some("  "));
            assert!(s.contains("119"), "{s}");
            assert!(s.contains("リーフレット") || s.contains("leaflet"), "{s}");
        }
        assert!(whom_to_call(Lang::Ja, Some("さくら保健所"), None).starts_with("さくら保健所の緊急連絡先は"));
        assert!(whom_to_call(Lang::En, Some("Sakura"), None).contains("of Sakura is on the leaflet"));
    }
}
