//! The data-handling notice (入力いただいた情報の取扱いについて) of the national
//! system's leaflet, shortened to what Mimamori does: printed on the leaflet, shown in
//! the app's settings and on the patient pages.

use crate::Text;

/// The notice's heading.
pub const NOTICE_TITLE: Text = Text { ja: "入力いただいた情報の取扱いについて", en: "How the information you enter is handled" };

/// The notice, one paragraph each.
pub const NOTICE: [Text; 4] = [
    Text {
        ja: "健康状態の調査は、感染症法に基づき、保健所を設置する都道府県や市・特別区が実施しています。皆様による健康状態の入力は、同調査への回答と位置づけられます。",
        en: "The health survey is carried out by the prefecture or city that runs the health centre, under the Infectious Diseases Control Law. What you enter is your answer to that survey.",
    },
    Text {
        ja: "入力いただいた情報は、保健所、都道府県・市・特別区、厚生労働省、業務を受託した関係機関（地域の医師会等）に、それぞれの業務に必要な範囲内で共有されます。個人の情報へのアクセスは役割と管轄で限られ、記録されます。",
        en: "It is shared only as far as each body's work needs: the health centre, the prefecture or city, the Ministry of Health, Labour and Welfare, and contracted bodies such as the local medical association. Every access to a person's data is limited by role and jurisdiction, and recorded.",
    },
    Text {
        ja: "個人が特定されない統計を作成し公表することがあります。入力いただいた情報は、感染症法に基づく業務以外の目的に利用されることはありません。",
        en: "Statistics without personal identifiers may be published. The information is used for nothing else than work under the law.",
    },
    Text {
        ja: "個人が特定できる情報については、開示、訂正、利用停止を求めることができます。",
        en: "You may ask for disclosure, correction and suspension of use of your personal data.",
    },
];
