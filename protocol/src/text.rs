//! Characters that show as nothing or change the direction of what follows: zero-width
//! spaces and joiners, direction marks, embeddings, overrides and isolates, the
//! byte-order mark. One definition for the password rule (they count for nothing) and
//! the server's text rule (a name of only these, or one that reverses the text after it
//! on a board or in a CSV file, is refused).

/// Shows as nothing (zero width, a direction mark or control, the byte-order mark).
pub fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}' | '\u{061C}')
}

/// Changes the direction of the text after it (embeddings, overrides, isolates).
pub fn is_direction_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_invisible_and_the_reversing() {
        for c in ['\u{200B}', '\u{200D}', '\u{200E}', '\u{202E}', '\u{2066}', '\u{FEFF}'] {
            assert!(is_invisible(c), "{c:?}");
        }
        assert!(is_direction_control('\u{202E}') && is_direction_control('\u{2067}'));
        for c in ['a', ' ', '　', '山', '-', '\u{200E}'] {
            assert!(!is_direction_control(c), "{c:?}");
        }
        assert!(!is_invisible('a') && !is_invisible('　'));
    }
}
