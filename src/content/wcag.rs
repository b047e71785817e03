//! The success criteria of WCAG 2.2 at levels A and AA (4.1.1 Parsing is
//! obsolete in 2.2 and left out), with Swedish names, for choosing which
//! criterion a known problem fails. Numbers are what is stored.

/// `(number, Swedish name, level)`.
pub const CRITERIA: &[(&str, &str, &str)] = &[
    ("1.1.1", "Icke-textinnehåll", "A"),
    ("1.2.1", "Enbart ljud och enbart video (förinspelat)", "A"),
    ("1.2.2", "Undertexter (förinspelat)", "A"),
    (
        "1.2.3",
        "Syntolkning eller mediealternativ (förinspelat)",
        "A",
    ),
    ("1.2.4", "Undertexter (direktsänt)", "AA"),
    ("1.2.5", "Syntolkning (förinspelat)", "AA"),
    ("1.3.1", "Information och relationer", "A"),
    ("1.3.2", "Meningsfull ordning", "A"),
    ("1.3.3", "Sensoriska kännetecken", "A"),
    ("1.3.4", "Orientering", "AA"),
    ("1.3.5", "Identifiera syftet med inmatning", "AA"),
    ("1.4.1", "Användning av färg", "A"),
    ("1.4.2", "Kontroll av ljud", "A"),
    ("1.4.3", "Kontrast (minimum)", "AA"),
    ("1.4.4", "Ändra textstorlek", "AA"),
    ("1.4.5", "Bilder av text", "AA"),
    ("1.4.10", "Anpassning till skärmstorlek", "AA"),
    ("1.4.11", "Kontrast för annat än text", "AA"),
    ("1.4.12", "Textavstånd", "AA"),
    ("1.4.13", "Innehåll vid hovring eller fokus", "AA"),
    ("2.1.1", "Tangentbord", "A"),
    ("2.1.2", "Ingen tangentbordsfälla", "A"),
    ("2.1.4", "Kortkommandon med enstaka tecken", "A"),
    ("2.2.1", "Justerbar tidsgräns", "A"),
    ("2.2.2", "Pausa, stoppa, dölja", "A"),
    (
        "2.3.1",
        "Högst tre blinkningar eller under tröskelvärdet",
        "A",
    ),
    ("2.4.1", "Hoppa över block", "A"),
    ("2.4.2", "Sidtitel", "A"),
    ("2.4.3", "Fokusordning", "A"),
    ("2.4.4", "Länkens syfte (i sitt sammanhang)", "A"),
    ("2.4.5", "Flera sätt", "AA"),
    ("2.4.6", "Rubriker och etiketter", "AA"),
    ("2.4.7", "Synligt fokus", "AA"),
    ("2.4.11", "Fokus inte dolt (minimum)", "AA"),
    ("2.5.1", "Pekgester", "A"),
    ("2.5.2", "Avbryta pekaråtgärder", "A"),
    ("2.5.3", "Etikett i namnet", "A"),
    ("2.5.4", "Aktivering genom rörelse", "A"),
    ("2.5.7", "Dragrörelser", "AA"),
    ("2.5.8", "Storlek på klickyta (minimum)", "AA"),
    ("3.1.1", "Sidans språk", "A"),
    ("3.1.2", "Språk för delar av innehållet", "AA"),
    ("3.2.1", "Vid fokus", "A"),
    ("3.2.2", "Vid inmatning", "A"),
    ("3.2.3", "Konsekvent navigering", "AA"),
    ("3.2.4", "Konsekvent identifiering", "AA"),
    ("3.2.6", "Konsekvent hjälp", "A"),
    ("3.3.1", "Identifiering av fel", "A"),
    ("3.3.2", "Etiketter eller instruktioner", "A"),
    ("3.3.3", "Förslag vid fel", "AA"),
    ("3.3.4", "Förhindra fel (juridiska, ekonomiska, data)", "AA"),
    ("3.3.7", "Upprepad inmatning", "A"),
    ("3.3.8", "Tillgänglig autentisering (minimum)", "AA"),
    ("4.1.2", "Namn, roll, värde", "A"),
    ("4.1.3", "Statusmeddelanden", "AA"),
];

/// "1.4.3 Kontrast (minimum)" for a stored number; the number alone if
/// it is not in the list.
pub fn label(number: &str) -> String {
    CRITERIA
        .iter()
        .find(|(n, _, _)| *n == number)
        .map_or_else(|| number.to_owned(), |(n, name, _)| format!("{n} {name}"))
}

pub fn is_known(number: &str) -> bool {
    CRITERIA.iter().any(|(n, _, _)| *n == number)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_complete_unique_and_in_order() {
        // WCAG 2.2 has 31 criteria at level A and 24 at AA, 4.1.1 removed.
        assert_eq!(CRITERIA.iter().filter(|c| c.2 == "A").count(), 31);
        assert_eq!(CRITERIA.iter().filter(|c| c.2 == "AA").count(), 24);
        let key = |n: &str| -> Vec<u32> { n.split('.').map(|p| p.parse().unwrap()).collect() };
        for pair in CRITERIA.windows(2) {
            assert!(
                key(pair[0].0) < key(pair[1].0),
                "{} {}",
                pair[0].0,
                pair[1].0
            );
        }
        assert_eq!(label("1.4.3"), "1.4.3 Kontrast (minimum)");
        assert!(!is_known("4.1.1"));
    }
}
